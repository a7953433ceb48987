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

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ip = args.listen.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if !ip.is_loopback() && !args.allow_remote {
        anstream::eprintln!(
            "error: refusing to listen on {ip}: other machines could reach your notes.\n  help: pass --allow-remote --token <TOKEN> to allow it, or leave out --listen"
        );
        return Ok(ExitCode::from(2));
    }
    let token = args
        .token
        .clone()
        .or_else(|| std::env::var("ATTUNE_TOKEN").ok())
        .filter(|t| !t.is_empty());
    if !ip.is_loopback() && token.as_ref().is_none_or(|t| t.len() < 16) {
        anstream::eprintln!(
            "error: --allow-remote needs a --token (or ATTUNE_TOKEN) of at least 16 characters"
        );
        return Ok(ExitCode::from(2));
    }
    let token = if ip.is_loopback() { None } else { token };
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
