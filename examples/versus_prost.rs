//! Writes the spec and the equivalent protobuf schema that
//! `benches/versus-prost.sh` compares esgen and prost-build on
//! (`benches/support/versus.rs`): `<DIR>/shops.ddd` and one
//! `<DIR>/proto/shop<N>s.proto` per model.
//!
//! ```sh
//! cargo run --release --example versus_prost -- 100 10 /tmp/versus
//! ```

#[path = "../benches/support/versus.rs"]
mod versus;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (models, actions, dir) = match args.as_slice() {
        [m, a, dir] => match (m.parse::<usize>(), a.parse::<usize>()) {
            (Ok(m), Ok(a)) if m > 0 && a > 0 => (m, a, Path::new(dir)),
            _ => return usage(),
        },
        _ => return usage(),
    };
    let proto = dir.join("proto");
    let written = std::fs::create_dir_all(&proto)
        .and_then(|()| std::fs::write(dir.join("shops.ddd"), versus::spec(models, actions)))
        .and_then(|()| {
            versus::protos(models, actions)
                .into_iter()
                .try_for_each(|(name, text)| std::fs::write(proto.join(name), text))
        });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("versus_prost: cannot write into {}: {e}", dir.display());
            ExitCode::from(2)
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: versus_prost <MODELS> <ACTIONS> <DIR>   (both counts at least 1)");
    ExitCode::from(2)
}
