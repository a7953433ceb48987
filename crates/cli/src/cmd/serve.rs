//! `attune serve [VAULT] [--port N] [--open] [--demo]`: the local web app. Binds to
//! 127.0.0.1 only; `--listen` on another address needs `--allow-remote` and `--token`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use anyhow::Context;

use crate::vault_arg::VaultArg;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    vault: VaultArg,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 7878)]
    port: u16,
    /// Address to listen on. Anything but a loopback address needs --allow-remote and --token.
    #[arg(long, value_name = "ADDR")]
    listen: Option<IpAddr>,
    /// Allow listening on a non-loopback address (every request must then carry --token).
    #[arg(long)]
    allow_remote: bool,
    /// Access token required on every request when --allow-remote is given
    /// (or set ATTUNE_TOKEN, which keeps it out of the process list).
    #[arg(long)]
    token: Option<String>,
    /// Open the app in the default browser once it is listening.
    #[arg(long)]
    open: bool,
    /// Do not watch the vault for changes made by other programs.
    #[arg(long)]
    no_watch: bool,
}

/// Decide the access token from `--listen`, `--allow-remote` and `--token` / `ATTUNE_TOKEN`:
/// `Ok(None)` on loopback (no token needed), `Ok(Some(token))` for an allowed remote address,
/// `Err(message)` when listening there is refused.
pub fn remote_token(
    ip: IpAddr,
    allow_remote: bool,
    token: Option<String>,
) -> Result<Option<String>, &'static str> {
    if ip.is_loopback() {
        return Ok(None);
    }
    if !allow_remote {
        return Err(
            "other machines could reach your notes.\n  help: pass --allow-remote --token <TOKEN> to allow it, or leave out --listen",
        );
    }
    match token.filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() >= 16 => Ok(Some(t)),
        _ => Err("--allow-remote needs a --token (or ATTUNE_TOKEN) of at least 16 characters"),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ip = args.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let given = args
        .token
        .clone()
        .or_else(|| std::env::var("ATTUNE_TOKEN").ok());
    let token = match remote_token(ip, args.allow_remote, given) {
        Ok(token) => token,
        Err(why) => {
            anstream::eprintln!("error: refusing to listen on {ip}: {why}");
            return Ok(ExitCode::from(2));
        }
    };
    let dir = args.vault.resolve()?;
    let options = attune_web::ServeOptions {
        vault: dir.path.clone(),
        listen: SocketAddr::new(ip, args.port),
        token,
        watch: !args.no_watch,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let server = attune_web::Server::bind(&options).await?;
        let url = format!("http://{}/", server.addr);
        anstream::println!(
            "attune: serving {} at {url}  (Ctrl-C to stop)",
            dir.path.display()
        );
        if args.open {
            open_browser(&url);
        }
        server.run(stop_signal()).await?;
        drop(dir);
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one, so the server stops gracefully and
/// a `--demo` copy is removed either way.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Ask the desktop to open `url`; failing to is not an error (the URL is printed).
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        anstream::eprintln!("note: could not open a browser ({program}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_listens_without_allow_remote_and_a_token() {
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        let token = Some("0123456789abcdef".to_owned());
        for ip in ["127.0.0.1", "::1"] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(remote_token(ip, false, None), Ok(None));
            // A token is not needed (nor kept) on loopback.
            assert_eq!(remote_token(ip, true, token.clone()), Ok(None));
        }
        for ip in [any, lan] {
            assert!(remote_token(ip, false, None).is_err());
            assert!(
                remote_token(ip, false, token.clone()).is_err(),
                "no --allow-remote"
            );
            assert!(remote_token(ip, true, None).is_err(), "no token");
            assert!(remote_token(ip, true, Some(String::new())).is_err());
            assert!(remote_token(ip, true, Some("short".into())).is_err());
            assert_eq!(remote_token(ip, true, token.clone()), Ok(token.clone()));
        }
    }
}
