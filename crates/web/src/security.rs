//! What every request passes before a handler sees it, and what every response carries:
//!
//! - the `Host` must be a loopback name (`localhost`, `127.0.0.1`, `[::1]`): a page on
//!   another site that rebinds its DNS name to 127.0.0.1 is refused (DNS rebinding);
//! - with `--allow-remote`, every request must present the token instead (bearer header,
//!   cookie, or `?token=` once, which sets the cookie);
//! - every state-changing request (anything but GET/HEAD) needs the session's CSRF token
//!   (`X-CSRF-Token` header or a `_csrf` form field) and, when the browser sends one, an
//!   `Origin` equal to the server's own;
//! - every response gets a strict Content-Security-Policy (`script-src 'self'`, nothing
//!   inline, nothing from elsewhere) and no-sniff / no-frame / same-origin-referrer headers.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Largest request body accepted (a note with its sections).
const MAX_BODY: usize = 4 * 1024 * 1024;

/// The `Host` names a local server answers to.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                host
            }
        }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name == "::1"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn refuse(status: StatusCode, why: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        why.to_owned(),
    )
        .into_response()
}

/// Equal in time independent of where the strings differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

fn query_param(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The middleware (see the module documentation).
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = match check(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(refusal) => refusal,
    };
    let h = response.headers_mut();
    // A served attachment brings its own, stricter policy (see `files`).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        // `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null`
        // on form posts, which the Origin check must refuse.
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

async fn check(state: &AppState, request: Request) -> Result<Request, Response> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    let Some(host) = host else {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "the request has no Host header",
        ));
    };
    match &state.0.access.token {
        None => {
            if !is_loopback_host(&host) {
                return Err(refuse(
                    StatusCode::FORBIDDEN,
                    "attune answers only to localhost, 127.0.0.1 and [::1] (this Host is another name: refused to guard against DNS rebinding)",
                ));
            }
        }
        Some(token) => {
            let bearer = request
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            let from_cookie = cookie(request.headers(), "attune_token");
            let from_query = request.uri().query().and_then(|q| query_param(q, "token"));
            let ok = [bearer, from_cookie, from_query.as_deref()]
                .into_iter()
                .flatten()
                .any(|t| same_secret(t, token));
            if !ok {
                return Err(refuse(
                    StatusCode::UNAUTHORIZED,
                    "this attune server needs its access token",
                ));
            }
            if from_query.is_some() && request.method() == Method::GET {
                // Trade the token in the address for a cookie, and drop it from the address.
                let path = request.uri().path().to_owned();
                let mut response = axum::response::Redirect::to(&path).into_response();
                if let Ok(v) = HeaderValue::from_str(&format!(
                    "attune_token={token}; Path=/; HttpOnly; SameSite=Strict"
                )) {
                    response.headers_mut().insert(header::SET_COOKIE, v);
                }
                return Err(response);
            }
        }
    }
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return Ok(request);
    }
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let expected = [format!("http://{host}"), format!("https://{host}")];
        if !expected.iter().any(|e| e == origin) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "cross-origin request refused",
            ));
        }
    }
    if request
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return Err(refuse(StatusCode::FORBIDDEN, "cross-site request refused"));
    }
    let csrf = &state.0.csrf;
    let header_token = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok());
    if header_token.is_some_and(|t| same_secret(t, csrf)) {
        return Ok(request);
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "missing or wrong CSRF token (send the X-CSRF-Token header)",
        ));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| refuse(StatusCode::PAYLOAD_TOO_LARGE, "request body too large"))?;
    let form_token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.into_owned());
    if !form_token.is_some_and(|t| same_secret(&t, csrf)) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "missing or wrong CSRF token (reload the page and try again)",
        ));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:3000",
            "127.0.0.1",
            "[::1]:80",
            "[::1]",
            "LOCALHOST.",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.com",
            "evil.com:80",
            "localhost.evil.com",
            "127.0.0.1.nip.io",
            "10.0.0.1:80",
            "[::2]",
            "",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }
}
