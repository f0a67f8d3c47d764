//! The server's bounds, and the gate every simulation passes: a fixed number of simulations run
//! at once on the blocking pool, a bounded number wait, and each answer comes within a wall-time
//! bound or not at all (503 busy, 504 timeout). A solver cannot be interrupted, so a timed-out
//! simulation keeps its slot until it finishes: the gate never admits more work than it can run.

use crate::error::ApiError;
use axum::http::StatusCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Bounds of every request.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Limits {
    /// Largest request body, bytes.
    pub max_body_bytes: usize,
    /// Longest simulated duration of a scenario, days.
    pub max_duration_days: f64,
    /// Largest virtual population a scenario may ask for (its arms run as one individual here;
    /// population studies belong to `boneaxis study`).
    pub max_population: usize,
    /// Most sample times per arm in an answer.
    pub max_samples: usize,
    /// Simulations running at once.
    pub concurrent: usize,
    /// Requests waiting for a slot beyond those running; more get 503.
    pub queue: usize,
    /// Wall time from arrival to answer, seconds; beyond it, 504.
    pub wall_seconds: f64,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_body_bytes: 1 << 20,
            max_duration_days: 50.0 * 365.25,
            max_population: 2_000,
            max_samples: 20_000,
            concurrent: cores,
            queue: 64,
            wall_seconds: 30.0,
        }
    }
}

/// Admission to the blocking pool.
#[derive(Clone)]
pub struct Gate {
    slots: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    limits: Limits,
}

impl Gate {
    pub fn new(limits: Limits) -> Self {
        Gate {
            slots: Arc::new(Semaphore::new(limits.concurrent.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            limits,
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs `work` on the blocking pool once a slot is free, answering within the wall-time
    /// bound.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    {
        let wall = Duration::from_secs_f64(self.limits.wall_seconds);
        let deadline = tokio::time::Instant::now() + wall;
        let permit = self.admit(deadline).await?;
        let task = tokio::task::spawn_blocking(move || {
            let _slot = permit; // held until the work ends, even after a timeout
            work()
        });
        match tokio::time::timeout_at(deadline, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                format!("the simulation stopped unexpectedly: {join}"),
            )),
            Err(_) => Err(self.timeout()),
        }
    }

    async fn admit(
        &self,
        deadline: tokio::time::Instant,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.limits.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                format!(
                    "the server is busy ({} simulations running, {} waiting); retry shortly",
                    self.limits.concurrent, self.limits.queue
                ),
            ));
        }
        let acquired = tokio::time::timeout_at(deadline, self.slots.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match acquired {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the server is shutting down",
            )),
            Err(_) => Err(self.timeout()),
        }
    }

    fn timeout(&self) -> ApiError {
        ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "timeout",
            format!(
                "no answer within the wall-time bound of {} s; shorten the scenario or retry",
                self.limits.wall_seconds
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(concurrent: usize, queue: usize, wall_seconds: f64) -> Gate {
        Gate::new(Limits {
            concurrent,
            queue,
            wall_seconds,
            ..Limits::default()
        })
    }

    /// Occupies the gate's only slot until `release` is sent.
    fn hold(g: &Gate) -> (std::sync::mpsc::Sender<()>, tokio::task::JoinHandle<()>) {
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let g = g.clone();
        let task = tokio::spawn(async move {
            let _ = g
                .run(move || {
                    let _ = wait.recv();
                    Ok(())
                })
                .await;
        });
        (release, task)
    }

    async fn until_taken(g: &Gate) {
        while g.slots.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_answers_busy_at_once() {
        let g = gate(1, 0, 30.0);
        let (release, task) = hold(&g);
        until_taken(&g).await;
        let refused = g.run(|| Ok(())).await.unwrap_err();
        assert_eq!(
            refused.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{refused:?}"
        );
        assert_eq!(refused.kind, "busy");
        release.send(()).unwrap();
        task.await.unwrap();
        assert_eq!(g.run(|| Ok(7)).await.unwrap(), 7, "the slot is free again");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_slow_simulation_times_out_and_keeps_its_slot_until_it_ends() {
        let g = gate(1, 4, 0.05);
        let slow = g
            .run(|| {
                std::thread::sleep(Duration::from_millis(300));
                Ok(())
            })
            .await
            .unwrap_err();
        assert_eq!(slow.status, StatusCode::GATEWAY_TIMEOUT, "{slow:?}");
        assert_eq!(slow.kind, "timeout");
        assert_eq!(g.slots.available_permits(), 0, "the slow work still runs");
        let waiting = g.run(|| Ok(())).await.unwrap_err();
        assert_eq!(
            waiting.kind, "timeout",
            "a request waiting past the bound times out"
        );
    }
}
