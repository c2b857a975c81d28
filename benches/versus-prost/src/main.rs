//! `prost-gen <OUT> <INCLUDE> <PROTO>...`: prost-build's code generation as
//! a process of its own, so that it is timed as `esgen build` is (protoc
//! included, as prost-build always runs it).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, include, protos @ ..] = args.as_slice() else {
        eprintln!("usage: prost-gen <OUT> <INCLUDE> <PROTO>...");
        return ExitCode::from(2);
    };
    let generated = std::fs::create_dir_all(out).map_err(std::io::Error::from).and_then(|()| {
        prost_build::Config::new()
            .out_dir(out)
            .compile_protos(protos, &[include])
    });
    match generated {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("prost-gen: {e}");
            ExitCode::FAILURE
        }
    }
}
