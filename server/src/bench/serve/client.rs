//! A session's HTTP/1.1 client: one kept-alive connection over loopback, as a browser keeps
//! one, through hyper's client connection (hyper is in the build already, under axum); the
//! session cookie the login set goes with every request. A connection the server closed is
//! opened again on the next request.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, COOKIE, HOST, SET_COOKIE};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The session cookie's name (api's `SESSION_COOKIE`).
const SESSION_COOKIE: &str = "metod_session";

/// An answer: its status and body.
pub struct Answer {
    pub status: u16,
    pub body: Bytes,
}

impl Answer {
    /// The error as the report names it: the status and the stable code of the body.
    pub fn error(&self) -> String {
        let code = serde_json::from_slice::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| v["code"].as_str().map(str::to_string))
            .unwrap_or_else(|| "—".into());
        format!("HTTP {} {code}", self.status)
    }

    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

pub struct HttpSession {
    address: SocketAddr,
    host: String,
    cookie: Option<String>,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl HttpSession {
    pub fn new(address: SocketAddr) -> Self {
        Self {
            address,
            host: address.to_string(),
            cookie: None,
            sender: None,
        }
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, String> {
        let stream = TcpStream::connect(self.address)
            .await
            .map_err(|e| format!("transport: connect: {e}"))?;
        stream
            .set_nodelay(true)
            .map_err(|e| format!("transport: nodelay: {e}"))?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("transport: handshake: {e}"))?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(sender)
    }

    /// Sends `method path` (with a JSON body if any) and reads the whole answer. A transport
    /// failure is an error (`transport: …`); the connection is opened again next time.
    pub async fn call(
        &mut self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<Answer, String> {
        let mut sender = match self.sender.take() {
            Some(sender) if !sender.is_closed() => sender,
            _ => self.connect().await?,
        };
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(HOST, &self.host);
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, format!("{SESSION_COOKIE}={cookie}"));
        }
        if body.is_some() {
            request = request.header(CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|e| format!("transport: request: {e}"))?;
        sender
            .ready()
            .await
            .map_err(|e| format!("transport: {e}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("transport: {e}"))?;
        let status = response.status().as_u16();
        let set_cookie = response
            .headers()
            .get(SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .and_then(|pair| pair.trim().strip_prefix(SESSION_COOKIE))
            .and_then(|rest| rest.strip_prefix('='))
            .map(str::to_string);
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("transport: body: {e}"))?
            .to_bytes();
        self.sender = Some(sender);
        if let Some(cookie) = set_cookie.filter(|c| !c.is_empty()) {
            self.cookie = Some(cookie);
        }
        Ok(Answer { status, body })
    }

    /// Logs in; the session cookie is kept for the calls after.
    pub async fn login(&mut self, login: &str, password: &str) -> Result<(), String> {
        let body = serde_json::json!({ "login": login, "password": password }).to_string();
        let answer = self.call(Method::POST, "/api/login", Some(body)).await?;
        if !answer.ok() {
            return Err(answer.error());
        }
        if self.cookie.is_none() {
            return Err("login: no session cookie".into());
        }
        Ok(())
    }
}
