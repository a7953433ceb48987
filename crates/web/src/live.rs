//! `/events`: server-sent events telling open pages that the vault changed, so they can
//! fetch themselves again without a reload. One event per reload that changed something:
//! `event: vault`, `data: {"version":…,"origin":"external"|"attune","paths":[…]}`.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use crate::state::AppState;

pub async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.subscribe();
    let hello = Event::default()
        .event("hello")
        .data(state.version().to_string());
    let stream =
        futures_util::stream::unfold((Some(hello), receiver), |(first, mut rx)| async move {
            if let Some(event) = first {
                return Some((Ok(event), (None, rx)));
            }
            loop {
                match rx.recv().await {
                    Ok(change) => {
                        let data = serde_json::to_string(&change).unwrap_or_default();
                        return Some((Ok(Event::default().event("vault").data(data)), (None, rx)));
                    }
                    // Missed some: the page refreshes anyway on the next one.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
