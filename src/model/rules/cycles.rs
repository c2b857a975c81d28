//! Derived queries whose definitions ask each other in a circle (or a
//! query that asks itself): each would ask the next for ever, so the
//! generated queries would recurse until the stack overflows. One error
//! per circle, `E0137`, at the definition of its first query.

use std::collections::{HashMap, HashSet, VecDeque};

use super::{err, Pass};
use crate::diagnostics::codes;
use crate::model::ir::{Condition, Derived, Expr};
use crate::source::Span;
use crate::syntax::ast;

impl Pass<'_> {
    /// Derived queries whose conditions ask each other in a circle (or a
    /// query that asks itself): each would ask the next for ever. One
    /// error per circle, at the definition of its first query.
    pub(super) fn circles(&mut self, model: &ast::Model) {
        let queries = &self.model.queries;
        let mut by_method = HashMap::new();
        for (i, query) in queries.iter().enumerate() {
            by_method.entry(query.method.as_str()).or_insert(i);
        }
        let asks: Vec<Vec<usize>> = queries
            .iter()
            .map(|query| {
                let mut asked = Vec::new();
                if let Some(
                    Derived::Select {
                        filter: Some(filter),
                        ..
                    }
                    | Derived::Count {
                        filter: Some(filter),
                        ..
                    }
                    | Derived::Sum {
                        filter: Some(filter),
                        ..
                    },
                ) = &query.derived
                {
                    visit_condition(filter, &mut |expr| {
                        if let Expr::Call { method, .. } = expr {
                            if let Some(&j) = by_method.get(method.as_str()) {
                                if !asked.contains(&j) {
                                    asked.push(j);
                                }
                            }
                        }
                    });
                }
                asked
            })
            .collect();
        let mut circles: Vec<Vec<usize>> = components(&asks)
            .into_iter()
            .filter(|c| c.len() > 1 || asks[c[0]].contains(&c[0]))
            .flat_map(|c| circles(&asks, &c))
            .collect();
        circles.sort();
        let mut written: HashMap<&str, &ast::Query> = HashMap::new();
        for query in &model.queries {
            written.entry(query.name.text.as_str()).or_insert(query);
        }
        for circle in circles {
            let name = |i: usize| self.model.queries[i].name.as_str();
            // Where query `i` asks query `j`: the operand in its condition,
            // else its whole definition.
            let place = |i: usize, j: usize| {
                let body = written.get(name(i))?.body.as_ref()?;
                Some(
                    body.filter
                        .as_ref()
                        .and_then(|c| asking(c, name(j)))
                        .unwrap_or(body.span),
                )
            };
            let len = circle.len();
            let next = |k: usize| circle[(k + 1) % len];
            let Some(at) = place(circle[0], next(0)) else {
                continue;
            };
            let first = name(circle[0]);
            // A long circle is named by its first steps and its last.
            let shown: Vec<usize> = if len <= MOST_STEPS_NAMED {
                (0..len).collect()
            } else {
                (0..MOST_STEPS_NAMED - 1).chain([len - 1]).collect()
            };
            let (message, label) = if len == 1 {
                (
                    format!("derived query in a circle: `{first}` asks itself"),
                    "asks itself".to_string(),
                )
            } else {
                let mut chain = format!("`{first}` asks `{}`", name(next(0)));
                for pair in shown.windows(2) {
                    if pair[1] != pair[0] + 1 {
                        chain.push_str(&format!(", and so on until `{}`", name(circle[pair[1]])));
                    }
                    chain.push_str(&format!(", which asks `{}`", name(next(pair[1]))));
                }
                let of = if len > MOST_STEPS_NAMED {
                    format!(" of {len}")
                } else {
                    String::new()
                };
                (
                    format!("derived queries in a circle{of}: {chain}"),
                    format!("asks `{}`", name(next(0))),
                )
            };
            let mut diagnostic = err(codes::QUERY_CYCLE, message, at, &label);
            for &k in &shown[1..] {
                if let Some(there) = place(circle[k], next(k)) {
                    diagnostic = diagnostic.with_label(
                        there,
                        format!("`{}` asks `{}` here", name(circle[k]), name(next(k))),
                    );
                }
            }
            let help = if len == 1 {
                format!(
                    "`{first}` cannot be answered from its own answer: make its condition ask \
                     something else, or leave out its definition (`= …`) and write it by hand"
                )
            } else {
                "none of them can be answered before the others: make one of these conditions \
                 ask something else, or leave out one definition (`= …`) and write that query \
                 by hand"
                    .to_string()
            };
            self.out.push(diagnostic.with_help(help));
        }
    }
}

/// How many steps of a circle its error names; a longer one is named by
/// its first steps and its last.
const MOST_STEPS_NAMED: usize = 6;

/// How many circles of one component are reported: each search costs the
/// size of the component, and more than a screenful of them says nothing
/// more.
const MOST_CIRCLES: usize = 50;

fn visit_condition(condition: &Condition, f: &mut dyn FnMut(&Expr)) {
    for expr in condition.exprs() {
        expr.visit(f);
    }
}

/// Where a condition as written asks the query `name`: a call, or a
/// bare name (a query without parameters).
fn asking(condition: &ast::Condition, name: &str) -> Option<Span> {
    let operands = condition.operands();
    let call = operands.iter().find_map(|o| match o {
        ast::Operand::Call { query, span, .. } if query.text == name => Some(*span),
        _ => None,
    });
    call.or_else(|| {
        operands.iter().find_map(|o| match o {
            ast::Operand::Value(ast::Value::Word(w)) if w.text == name => Some(w.span),
            _ => None,
        })
    })
}

/// The strongly connected components of a graph given by each node's
/// successors (Tarjan's, without recursion: a spec may chain thousands
/// of queries).
fn components(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = successors.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut found = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        let mut work = vec![(root, 0)];
        while let Some(top) = work.last_mut() {
            let v = top.0;
            if let Some(&w) = successors[v].get(top.1) {
                top.1 += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                found.push(component);
            }
        }
    }
    found
}

/// Circles within a component, each starting at its first node (`[a,
/// b]` for a → b → a): the shortest through its first node, then, for
/// each node no circle found so far goes through, the shortest through
/// it, up to `MOST_CIRCLES`. A component of fewer nodes is covered: each
/// of them is on one of its circles (not every circle is listed: there
/// may be exponentially many).
fn circles(successors: &[Vec<usize>], component: &[usize]) -> Vec<Vec<usize>> {
    let within: HashSet<usize> = component.iter().copied().collect();
    let mut members = component.to_vec();
    members.sort_unstable();
    let mut covered = HashSet::new();
    let mut found = Vec::new();
    for start in members {
        if found.len() == MOST_CIRCLES {
            break;
        }
        if covered.contains(&start) {
            continue;
        }
        let Some(mut path) = shortest_circle(successors, &within, start) else {
            continue;
        };
        let first = (0..path.len()).min_by_key(|&k| path[k]).unwrap_or(0);
        path.rotate_left(first);
        covered.extend(path.iter().copied());
        found.push(path);
    }
    found
}

/// A shortest circle from `start` back to it through the nodes `within`,
/// starting there.
fn shortest_circle(
    successors: &[Vec<usize>],
    within: &HashSet<usize>,
    start: usize,
) -> Option<Vec<usize>> {
    let mut came_from: HashMap<usize, usize> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &successors[v] {
            if w == start {
                let mut path = vec![v];
                while let Some(&before) = came_from.get(path.last()?) {
                    path.push(before);
                }
                path.reverse();
                return Some(path);
            }
            if within.contains(&w) && !came_from.contains_key(&w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{circles, components};

    /// Every circle a graph's components give, each from its first node.
    fn all(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let mut found: Vec<Vec<usize>> = components(successors)
            .into_iter()
            .filter(|c| c.len() > 1 || successors[c[0]].contains(&c[0]))
            .flat_map(|c| circles(successors, &c))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn a_chain_has_no_circle() {
        assert!(all(&[vec![1], vec![2], vec![]]).is_empty());
    }

    #[test]
    fn circles_are_found_from_their_first_node() {
        // 0 asks itself; 1 → 2 → 3 → 1; 4 → 5 → 4 and 5 → 6 → 5 share 5;
        // 7 asks the circle of 4 without being on it.
        let successors = [
            vec![0],
            vec![2],
            vec![3],
            vec![1],
            vec![5],
            vec![4, 6],
            vec![5],
            vec![4],
        ];
        assert_eq!(
            all(&successors),
            [vec![0], vec![1, 2, 3], vec![4, 5], vec![5, 6]]
        );
    }

    #[test]
    fn a_long_circle_is_found_without_recursion() {
        let n = 200_000;
        let successors: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let found = all(&successors);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n);
    }
}
