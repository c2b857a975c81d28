
/// The policies over {% if sqlite %}SQLite{% else %}PostgreSQL{% endif %} (feature `{{ store }}`).
#[cfg(feature = "{{ store }}")]
pub mod {{ store }} {
{%- for line in policies.uses_of(store) %}
    {{ line }}
{%- endfor %}
{%- for alias in policies.aliases %}

{{ alias }}
{%- endfor %}

    /// The spec's policies over the database of a pool: [`Policies::run`]
    /// follows each one's subscription, acting on each event of its model
    /// once it is stored, in order, from a checkpoint kept in the
    /// database, so that it resumes where it stopped. A command a policy
    /// sends carries a key made of its event, and is stored once however
    /// often the event is acted on; a `notify by` function is called at
    /// least once. See `docs/policies.md` of esgen.
    pub struct Policies<N> {
        pool: Pool,
        notifications: N,
        following: Following,
        /// The name this runner holds subscriptions under.
        owner: String,
{%- for field in policies.fields %}
    {{ field }}
{%- endfor %}
    }

    impl<N: Notifications> Policies<N> {
        /// The policies over the database of `pool`, those that notify
        /// calling `notifications`, following as [`Following::default`]
        /// says.
        pub fn new(pool: Pool, notifications: N) -> Self {
            Self {
{%- for init in policies.inits %}
{{ init }}
{%- endfor %}
                pool,
                notifications,
                following: Following::default(),
                owner: runner(),
            }
        }

        /// The same, following as `following` says.
        #[must_use]
        pub fn following(self, following: Following) -> Self {
            Self { following, ..self }
        }

        /// The subscription of `policy`.
        #[must_use]
        pub fn subscription(policy: Policy) -> Subscription {
            Subscription {
                name: policy.name(),
                model: policy.model(),
                from_now: policy.from_now(),
            }
        }

        /// Acts on the next events of `policy`'s subscription, at most a
        /// batch: how many it read (0 when it has caught up).
        ///
        /// # Errors
        ///
        /// When the database cannot be read or written.
        pub async fn step(&self, policy: Policy) -> Result<usize, sqlx::Error> {
            let subscription = Self::subscription(policy);
            let (pool, following, owner) = (&self.pool, &self.following, &self.owner);
            follow(pool, policy, &subscription, following, owner, self).await
        }

        /// Acts on every event stored before this call, and on those its
        /// policies' commands store meanwhile, until none is left: how
        /// many events the policies read. Waits [`Following::idle`]
        /// between rounds while an event is not yet readable (on
        /// PostgreSQL, while an older transaction may still commit below
        /// it) or another runner holds its subscription.
        ///
        /// # Errors
        ///
        /// When the database cannot be read or written.
        pub async fn catch_up(&self) -> Result<usize, sqlx::Error> {
            self.through(|_| true).await
        }

        /// Acts on every event stored before this call, as
        /// [`Policies::catch_up`] does, with the `strong` policies alone:
        /// what an app awaits after a command, before it answers, so that
        /// what the spec says is strong has happened.
        ///
        /// # Errors
        ///
        /// When the database cannot be read or written.
        pub async fn settle(&self) -> Result<(), sqlx::Error> {
            self.through(Policy::strong).await.map(|_| ())
        }

        /// [`Policies::settle`], of the `strong` policies that send a
        /// command alone: what the HTTP service awaits before it answers a
        /// command (a `notify by` function is the app's, and its runner's).
        ///
        /// # Errors
        ///
        /// When the database cannot be read or written.
        pub async fn settle_commands(&self) -> Result<(), sqlx::Error> {
            self.through(|policy| policy.strong() && policy.sends())
                .await
                .map(|_| ())
        }

        /// [`Policies::catch_up`], of the policies `which` picks.
        async fn through(&self, which: fn(Policy) -> bool) -> Result<usize, sqlx::Error> {
            let mut read = 0;
            loop {
                let through = head(&self.pool).await?;
                let mut round = 0;
                for policy in Policy::ALL {
                    if !which(policy) {
                        continue;
                    }
                    let subscription = Self::subscription(policy);
                    while behind(&self.pool, &subscription, through).await? > 0 {
                        let step = self.step(policy).await?;
                        if step == 0 {
                            tokio::time::sleep(self.following.idle).await;
                        }
                        round += step;
                    }
                }
                if round == 0 {
                    return Ok(read);
                }
                read += round;
            }
        }

        /// Follows every policy for ever, waiting [`Following::idle`]
        /// whenever none has an event to act on.
        ///
        /// # Errors
        ///
        /// The first time the database cannot be read or written: run it
        /// again, and it resumes from the checkpoints.
        pub async fn run(&self) -> Result<std::convert::Infallible, sqlx::Error> {
            loop {
                let mut round = 0;
                for policy in Policy::ALL {
                    round += self.step(policy).await?;
                }
                if round == 0 {
                    tokio::time::sleep(self.following.idle).await;
                }
            }
        }
    }

    impl<N: Notifications> Act for Policies<N> {
        type Policy = Policy;

        /// After each event for a `notify by` function, which would be
        /// called again; after each batch for a command, stored once.
        fn saves_each(&self, policy: Policy) -> bool {
            !policy.sends()
        }

        async fn act(&self, policy: Policy, event: &Positioned) -> Result<(), Failure> {
            let key = causation(policy.name(), event);
            match policy {
{%- for arm in policies.act_arms %}
{{ arm }}
{%- endfor %}
            }
        }
    }

    /// A name for a runner, its own among the runners of every process:
    /// the process, the time it started, and a count.
    fn runner() -> String {
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let count = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{}-{started}-{count}", std::process::id())
    }
{%- if !policies.notify_methods.is_empty() %}

    /// A `notify by` function's error, as a failure to try again.
    fn failed(error: super::NotifyError) -> Failure {
        Failure::Failed(error.to_string())
    }
{%- endif %}
}
