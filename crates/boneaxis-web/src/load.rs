//! A bounded load test on loopback: many concurrent clients send a mix of scenario runs and
//! patient what-ifs over real TCP (HTTP/1.1 keep-alive), each with a deadline, and the report
//! counts answers by status, hung requests, throughput and latency percentiles.
//! `boneaxis bench --web` runs it against a server of its own.

use serde::Serialize;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What to send, and how hard.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    pub requests: usize,
    pub concurrency: usize,
    /// A request not answered within this is counted as hung.
    pub deadline: Duration,
}

/// The requests of the mix, sent round-robin: (label, path, JSON body).
pub const MIX: &[(&str, &str, &str)] = &[
    ("run cms_mouse", "/api/run", r#"{"scenario":"cms_mouse"}"#),
    (
        "patient 70 F sertraline",
        "/api/patient",
        r#"{"age":70,"sex":"female","drug":{"name":"sertraline","dose":"50mg"}}"#,
    ),
    (
        "run human_ssri_5y",
        "/api/run",
        r#"{"scenario":"human_ssri_5y"}"#,
    ),
];

#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    pub requests: usize,
    pub concurrency: usize,
    pub ok: usize,
    /// Answers with another status (503 busy counts here), by status.
    pub other_status: Vec<(u16, usize)>,
    /// Requests with no complete answer before the deadline, or a broken connection.
    pub failed: usize,
    pub wall_seconds: f64,
    pub requests_per_second: f64,
    /// Latency percentiles, ms: p50, p90, p99, max.
    pub latency_ms: [f64; 4],
}

/// Runs the load against `addr` on a runtime of its own.
pub fn run(addr: SocketAddr, config: &LoadConfig) -> std::io::Result<LoadReport> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(drive(addr, config))
}

async fn drive(addr: SocketAddr, config: &LoadConfig) -> std::io::Result<LoadReport> {
    let started = Instant::now();
    let per_client = config.requests.div_ceil(config.concurrency.max(1));
    let mut clients = Vec::new();
    for c in 0..config.concurrency.max(1) {
        let first = c * per_client;
        let last = ((c + 1) * per_client).min(config.requests);
        let deadline = config.deadline;
        clients.push(tokio::spawn(async move {
            client(addr, first..last, deadline).await
        }));
    }
    let mut outcomes = Vec::new();
    for c in clients {
        outcomes.extend(c.await.map_err(std::io::Error::other)?);
    }
    Ok(summarise(config, outcomes, started.elapsed().as_secs_f64()))
}

/// One request's outcome: its status (None: failed or hung) and latency.
type Outcome = (Option<u16>, f64);

async fn client(addr: SocketAddr, ids: std::ops::Range<usize>, deadline: Duration) -> Vec<Outcome> {
    let mut out = Vec::new();
    let mut stream: Option<BufReader<TcpStream>> = None;
    for id in ids {
        let (_, path, body) = MIX[id % MIX.len()];
        let t = Instant::now();
        if stream.is_none() {
            stream = TcpStream::connect(addr).await.ok().map(BufReader::new);
        }
        let status = match stream.as_mut() {
            Some(s) => tokio::time::timeout(deadline, exchange(s, path, body))
                .await
                .ok()
                .and_then(Result::ok),
            None => None,
        };
        if status.is_none() {
            stream = None; // reconnect after a failure
        }
        out.push((status, t.elapsed().as_secs_f64() * 1e3));
    }
    out
}

/// Sends one POST and reads the whole answer; returns its status.
async fn exchange(s: &mut BufReader<TcpStream>, path: &str, body: &str) -> std::io::Result<u16> {
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.get_mut().write_all(request.as_bytes()).await?;
    let mut line = String::new();
    s.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut length = None;
    loop {
        line.clear();
        if s.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::other("connection closed in the headers"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let length = length.ok_or_else(|| std::io::Error::other("no content-length"))?;
    let mut answer = vec![0u8; length];
    s.read_exact(&mut answer).await?;
    Ok(status)
}

fn summarise(config: &LoadConfig, outcomes: Vec<Outcome>, wall: f64) -> LoadReport {
    let mut latencies: Vec<f64> = outcomes.iter().map(|o| o.1).collect();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies.get(i).copied().unwrap_or(f64::NAN)
    };
    let mut other = std::collections::BTreeMap::new();
    let (mut ok, mut failed) = (0, 0);
    for (status, _) in &outcomes {
        match status {
            Some(200) => ok += 1,
            Some(s) => *other.entry(*s).or_insert(0) += 1,
            None => failed += 1,
        }
    }
    LoadReport {
        requests: outcomes.len(),
        concurrency: config.concurrency,
        ok,
        other_status: other.into_iter().collect(),
        failed,
        wall_seconds: wall,
        requests_per_second: outcomes.len() as f64 / wall,
        latency_ms: [pct(0.5), pct(0.9), pct(0.99), pct(1.0)],
    }
}
