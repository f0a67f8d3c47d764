//! `boneaxis serve`: the web explorer (crates/boneaxis-web) on a local port.

use crate::Failure;
use boneaxis_web::Limits;
use std::net::{IpAddr, SocketAddr};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind; the default serves this machine only. Use 0.0.0.0 to serve others.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Longest simulated duration a request may ask for, years.
    #[arg(long, default_value_t = 50.0)]
    max_years: f64,
    /// Largest virtual population a request may ask for (/api/study).
    #[arg(long, default_value_t = 2000)]
    max_population: usize,
    /// Wall-time bound of a request, seconds.
    #[arg(long, default_value_t = 30.0)]
    wall_seconds: f64,
    /// Simulations run at once (default: the number of cores).
    #[arg(long)]
    concurrent: Option<usize>,
}

pub fn serve(a: ServeArgs) -> Result<(), Failure> {
    let defaults = Limits::default();
    let positive = |name: &str, v: f64| {
        (v.is_finite() && v > 0.0)
            .then_some(v)
            .ok_or_else(|| anyhow::anyhow!("--{name} must be a positive number, got {v}"))
    };
    let limits = Limits {
        max_duration_days: positive("max-years", a.max_years)? * 365.25,
        max_population: a.max_population,
        wall_seconds: positive("wall-seconds", a.wall_seconds)?,
        concurrent: a.concurrent.unwrap_or(defaults.concurrent).max(1),
        ..defaults
    };
    let addr = SocketAddr::new(a.bind, a.port);
    boneaxis_web::serve_blocking(addr, limits, |bound| {
        eprintln!("boneaxis explorer at http://{bound}/  (Ctrl-C stops it)");
    })
    .map_err(|e| Failure {
        code: 1,
        error: anyhow::anyhow!("cannot serve on {addr}: {e}"),
    })
}

/// `boneaxis bench --web`: a server of its own on loopback under concurrent load.
pub fn load_test(requests: usize, concurrency: usize) -> Result<(), Failure> {
    use boneaxis_web::load;
    let limits = Limits::default();
    let server = boneaxis_web::spawn(([127, 0, 0, 1], 0).into(), limits)
        .map_err(|e| anyhow::anyhow!("cannot start the server: {e}"))?;
    println!(
        "boneaxis bench --web — {requests} requests from {concurrency} keep-alive clients on loopback to {}; \
         server: {} simulation slots, queue {}, wall bound {} s",
        server.addr, limits.concurrent, limits.queue, limits.wall_seconds
    );
    println!("mix (round-robin):");
    for (label, path, body) in load::MIX {
        println!("  {label:26} POST {path} {body}");
    }
    let config = load::LoadConfig {
        requests,
        concurrency,
        deadline: std::time::Duration::from_secs(120),
    };
    let r = load::run(server.addr, &config).map_err(|e| anyhow::anyhow!("load test: {e}"))?;
    println!(
        "\n{} requests in {:.2} s: {:.1} requests/s; 200 OK: {}; other statuses: {:?}; failed or hung: {}",
        r.requests, r.wall_seconds, r.requests_per_second, r.ok, r.other_status, r.failed
    );
    println!(
        "latency, ms: p50 {:.1}, p90 {:.1}, p99 {:.1}, max {:.1}",
        r.latency_ms[0], r.latency_ms[1], r.latency_ms[2], r.latency_ms[3]
    );
    if r.failed > 0 {
        return Err(Failure {
            code: 1,
            error: anyhow::anyhow!("{} requests failed or hung", r.failed),
        });
    }
    Ok(())
}
