//! attune-web: the local web app. An axum server over one vault: HTML pages to browse,
//! review, enter and edit notes; a JSON API under `/api/` for the same things; live updates
//! (server-sent events) when files change on disk.
//!
//! - [`router`] builds the whole app over an [`AppState`] (tests drive it with `oneshot`);
//! - [`serve`] binds it to a loopback address, starts the file watcher and runs until
//!   Ctrl-C.
//!
//! *Architecture Invariant*: the server binds to loopback unless the caller passes an access
//! token; every state-changing request carries the session's CSRF token; every script and
//! style sheet is embedded in the binary, so no page ever loads anything from elsewhere.

pub mod api;
pub mod assets;
pub mod files;
pub mod forms;
pub mod graph;
pub mod href;
pub mod insights;
pub mod lab;
pub mod live;
pub mod markdown;
pub mod pages;
pub mod query;
pub mod search;
pub mod security;
pub mod site;
pub mod state;
pub mod view;
pub mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use axum::routing::{get, post};

pub use state::{Access, AppState, Origin, VaultChange};

/// The whole app: pages, API, assets, events, behind the security middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/types/{class}", get(pages::class_page))
        .route("/notes/{*path}", get(pages::note_page))
        .route("/missing", get(pages::missing_page))
        .route("/search", get(pages::search_page))
        .route("/check", get(pages::check_page))
        .route("/graph", get(pages::graph_page))
        .route("/lab", get(pages::lab_page))
        .route("/insights", get(insights::insights_page))
        .route("/lab/{*path}", get(pages::scenario_page))
        .route("/new/{class}", get(pages::new_form).post(pages::new_submit))
        .route(
            "/edit/{*path}",
            get(pages::edit_form).post(pages::edit_submit),
        )
        .route("/events", get(live::events))
        .route("/assets/{*path}", get(assets::serve_asset))
        .route("/file/{*path}", get(files::serve_file))
        .route("/api/session", get(api::session))
        .route("/api/classes", get(api::classes))
        .route("/api/classes/{class}", get(api::class))
        .route("/api/notes", get(api::notes))
        .route("/api/notes/{*path}", get(api::note))
        .route("/api/search", get(api::search))
        .route("/api/query", post(api::query))
        .route("/api/check", get(api::check))
        .route("/api/graph", get(api::graph))
        .route("/api/insights", get(insights::api_insights))
        .route("/api/forms/{class}", get(api::form))
        .route("/api/plans", post(api::plan))
        .route("/api/commits", post(api::commit))
        .route("/api/reload", post(api::reload))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .with_state(state)
}

/// How to run the server.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub vault: PathBuf,
    pub listen: SocketAddr,
    /// Needed (with `listen` on a non-loopback address) to let other machines in.
    pub token: Option<String>,
    /// Keep the vault current while files change on disk.
    pub watch: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "refusing to listen on {0}: that address is reachable from other machines; pass --allow-remote with --token to allow it"
    )]
    NotLoopback(SocketAddr),
    #[error(transparent)]
    State(#[from] state::StateError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("watching the vault: {0}")]
    Watch(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A server bound to its address, ready to run.
pub struct Server {
    pub state: AppState,
    pub addr: SocketAddr,
    listener: tokio::net::TcpListener,
    watcher: Option<watch::Watcher>,
}

impl Server {
    /// Load the vault and bind. A non-loopback `listen` needs a token.
    pub async fn bind(options: &ServeOptions) -> Result<Server, ServeError> {
        if !options.listen.ip().is_loopback() && options.token.is_none() {
            return Err(ServeError::NotLoopback(options.listen));
        }
        let access = Access {
            token: options.token.clone(),
        };
        let vault = options.vault.clone();
        let state = tokio::task::spawn_blocking(move || AppState::load(&vault, access))
            .await
            .map_err(|e| ServeError::Watch(e.to_string()))??;
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|source| ServeError::Bind {
                addr: options.listen,
                source,
            })?;
        let addr = listener.local_addr()?;
        let watcher = if options.watch {
            Some(watch::start(state.clone()).map_err(ServeError::Watch)?)
        } else {
            None
        };
        Ok(Server {
            state,
            addr,
            listener,
            watcher,
        })
    }

    /// Serve until `shutdown` completes.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let app = router(self.state.clone());
        let _watcher = self.watcher;
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await?;
        Ok(())
    }
}
