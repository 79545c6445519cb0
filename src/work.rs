//! Work spread over the cores: a list of independent items (files to check, to hash, to
//! parse) mapped a chunk at a time on worker threads, the results in the items' order.

use std::sync::Mutex;

/// `f` of every item, on up to `max_threads` threads (no more than the cores), `chunk`
/// items at a time handed out in turn (so that every core stays busy when items differ
/// in cost), results in the order of `items`. Each worker has its own state, made by
/// `init` (a cache, say). Runs on this thread when there is one core or one chunk. A
/// panic in `f` is a panic here.
pub(crate) fn map_in_order<T, S, R>(
    items: Vec<T>,
    chunk: usize,
    max_threads: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, T) -> R + Sync,
) -> Vec<R>
where
    T: Send,
    R: Send,
{
    let chunk = chunk.max(1);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, max_threads.max(1));
    if threads < 2 || items.len() <= chunk {
        let mut state = init();
        return items.into_iter().map(|t| f(&mut state, t)).collect();
    }
    let mut chunks = Vec::with_capacity(items.len().div_ceil(chunk));
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        chunks.push(items.by_ref().take(chunk).collect::<Vec<T>>());
    }
    let queue = Mutex::new(chunks.into_iter().enumerate());
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut state = init();
                    let mut done = Vec::new();
                    loop {
                        let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
                        let Some((k, part)) = next else { break };
                        done.push((k, part.into_iter().map(|t| f(&mut state, t)).collect()));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().flat_map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_items_whatever_the_chunk() {
        let items: Vec<u64> = (0..1000).collect();
        for chunk in [1, 7, 256, 1000, 5000] {
            let out = map_in_order(
                items.clone(),
                chunk,
                4,
                || 0u64,
                |seen, x| {
                    *seen += 1;
                    x * x
                },
            );
            assert_eq!(out, items.iter().map(|x| x * x).collect::<Vec<_>>());
        }
    }
}
