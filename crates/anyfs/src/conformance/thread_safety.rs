//! Thread safety: one backend shared by many threads (`&B` across `std::thread::scope`).
//! Concurrent reads, writes to different files, `create_dir_all` racing on one path,
//! `read_dir` while the directory changes, atomic create/rename races, appends that lose
//! nothing, and a stress run of 100 threads × 1000 operations checked against a model.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;
use std::thread;

use super::check::*;
use super::fixtures::*;
use super::report::{cases, Case, Factory};
use crate::Fs;

/// The thread-safety cases.
pub fn cases<B: Fs>() -> Vec<Case<B>> {
    cases![B;
        concurrent_reads,
        concurrent_writes_to_different_files,
        concurrent_create_dir_all_same_path,
        concurrent_create_dir_has_one_winner,
        concurrent_rename_has_one_winner,
        read_dir_while_modifying,
        concurrent_appends_lose_nothing,
        stress_100_threads_1000_ops,
    ]
}

/// Runs `threads` copies of `body` (given the thread index) at once, released together by a
/// barrier, and collects every failure, including panics.
fn race<B, F, T>(fs: &B, threads: usize, body: F) -> Result<Vec<T>, String>
where
    B: Fs,
    F: Fn(&B, usize) -> Result<T, String> + Sync,
    T: Send,
{
    let barrier = Barrier::new(threads);
    let results: Vec<Result<T, String>> = thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (barrier, body) = (&barrier, &body);
                s.spawn(move || {
                    barrier.wait();
                    body(fs, t)
                })
            })
            .collect();
        handles
            .into_iter()
            .enumerate()
            .map(|(t, h)| {
                h.join()
                    .unwrap_or_else(|_| Err(format!("thread {t} panicked")))
            })
            .collect()
    });
    let mut ok_values = Vec::with_capacity(threads);
    let mut failures = Vec::new();
    for (t, r) in results.into_iter().enumerate() {
        match r {
            Ok(v) => ok_values.push(v),
            Err(e) => failures.push(format!("thread {t}: {e}")),
        }
    }
    if failures.is_empty() {
        Ok(ok_values)
    } else {
        Err(failures.join("; "))
    }
}

fn concurrent_reads<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let data = pattern(256 * 1024, 9);
    put(&fs, "/shared.bin", &data)?;
    race(&fs, 16, |fs, _| {
        for i in 0..100 {
            ensure_bytes(&get(fs, "/shared.bin")?, &data, &format!("read #{i}"))?;
            let part = ok(fs.read_range(p("/shared.bin"), 1000, 10), "read_range")?;
            ensure_bytes(
                &part,
                data.get(1000..1010).unwrap_or_default(),
                "read_range",
            )?;
        }
        Ok(())
    })
    .map(drop)
}

fn concurrent_writes_to_different_files<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/w")?;
    race(&fs, 16, |fs, t| {
        for i in 0..50 {
            let path = format!("/w/t{t}_f{i}");
            let data = pattern(1000 + i, t as u8);
            put(fs, &path, &data)?;
            ensure_bytes(&get(fs, &path)?, &data, &path)?;
        }
        Ok(())
    })?;
    let listed = names(&fs, "/w")?;
    ensure_eq(&listed.len(), &(16 * 50), "files after concurrent writes")?;
    for t in 0..16usize {
        for i in [0usize, 49] {
            let path = format!("/w/t{t}_f{i}");
            ensure_bytes(&get(&fs, &path)?, &pattern(1000 + i, t as u8), &path)?;
        }
    }
    Ok(())
}

fn concurrent_create_dir_all_same_path<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    race(&fs, 32, |fs, t| {
        ok(
            fs.create_dir_all(p("/a/b/c/d/e")),
            "create_dir_all /a/b/c/d/e",
        )?;
        // Siblings created at the same time must all survive.
        ok(
            fs.create_dir_all(p(&format!("/a/b/c/t{t}"))),
            "create_dir_all sibling",
        )
    })?;
    ensure_eq(&names(&fs, "/a")?, &set(&["b"]), "read_dir /a")?;
    ensure_eq(&names(&fs, "/a/b/c/d")?, &set(&["e"]), "read_dir /a/b/c/d")?;
    ensure_eq(
        &names(&fs, "/a/b/c")?.len(),
        &33,
        "entries of /a/b/c (d + 32 siblings)",
    )
}

fn concurrent_create_dir_has_one_winner<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let outcomes = race(&fs, 16, |fs, _| match fs.create_dir(p("/x")) {
        Ok(()) => Ok(true),
        Err(e) => {
            expect_err(Err::<(), _>(e), ALREADY_EXISTS, "losing create_dir")?;
            Ok(false)
        }
    })?;
    let winners = outcomes.iter().filter(|w| **w).count();
    ensure_eq(&winners, &1, "create_dir calls that succeeded")
}

fn concurrent_rename_has_one_winner<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/src", b"only once")?;
    let outcomes = race(&fs, 16, |fs, t| {
        match fs.rename(p("/src"), p(&format!("/dst{t}"))) {
            Ok(()) => Ok(true),
            Err(e) => {
                expect_err(Err::<(), _>(e), NOT_FOUND, "losing rename")?;
                Ok(false)
            }
        }
    })?;
    let winners = outcomes.iter().filter(|w| **w).count();
    ensure_eq(&winners, &1, "renames that succeeded")?;
    let listed = names(&fs, "/")?;
    ensure_eq(&listed.len(), &1, "exactly one name left")?;
    let name = listed.iter().next().cloned().unwrap_or_default();
    ensure_bytes(&get(&fs, &format!("/{name}"))?, b"only once", "content")
}

fn read_dir_while_modifying<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    put(&fs, "/d/stable", b"s")?;
    let writers_done = AtomicUsize::new(0);
    let writers = 4;
    let readers = 4;
    race(&fs, writers + readers, |fs, t| {
        if t < writers {
            // Counted on every exit, panics included, so readers never wait forever.
            let _done = Done(&writers_done);
            for n in 0..200 {
                let path = format!("/d/w{t}_{n}");
                put(fs, &path, b"w")?;
                if n % 2 == 0 {
                    ok(fs.remove_file(p(&path)), &format!("remove_file {path}"))?;
                }
            }
            Ok(())
        } else {
            let mut listings = 0;
            while writers_done.load(Ordering::SeqCst) < writers || listings < 10 {
                let listed = names(fs, "/d")?; // errors on duplicate names
                ensure(listed.contains("stable"), || {
                    "an untouched entry vanished from a listing".into()
                })?;
                if let Some(odd) = listed
                    .iter()
                    .find(|n| *n != "stable" && !n.starts_with('w'))
                {
                    return Err(format!("listing has a name nobody created: {odd:?}"));
                }
                listings += 1;
            }
            Ok(())
        }
    })?;
    let expected: BTreeSet<String> = (0..writers)
        .flat_map(|t| (1..200).step_by(2).map(move |n| format!("w{t}_{n}")))
        .chain(["stable".to_owned()])
        .collect();
    ensure_eq(&names(&fs, "/d")?, &expected, "final listing")
}

/// Increments its counter when dropped.
struct Done<'a>(&'a AtomicUsize);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn concurrent_appends_lose_nothing<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/log", b"")?;
    race(&fs, 16, |fs, t| {
        for n in 0..200 {
            // Fixed-width records: a torn or lost append shows up in the parse below.
            let record = format!("{t:02}:{n:05}\n");
            ok(fs.append(p("/log"), record.as_bytes()), "append")?;
        }
        Ok(())
    })?;
    let log = get(&fs, "/log")?;
    ensure_eq(&log.len(), &(16 * 200 * 9), "log size")?;
    let text = String::from_utf8(log).map_err(|_| "log is not UTF-8 (torn records)".to_owned())?;
    let mut per_thread: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for line in text.lines() {
        let (t, n) = line
            .split_once(':')
            .ok_or_else(|| format!("torn record {line:?}"))?;
        let n: u32 = n.parse().map_err(|_| format!("torn record {line:?}"))?;
        per_thread.entry(t).or_default().push(n);
    }
    ensure_eq(&per_thread.len(), &16, "threads seen in the log")?;
    for (t, ns) in per_thread {
        let in_order: Vec<u32> = (0..200).collect();
        ensure_eq(
            &ns,
            &in_order,
            &format!("records of thread {t}, in its order"),
        )?;
    }
    Ok(())
}

/// One thread's share of the stress run: 1000 operations in its own directory, each checked
/// against a model of what that directory must hold, plus a few in a shared directory.
fn stress_thread<B: Fs>(fs: &B, t: usize) -> Result<usize, String> {
    let dir = format!("/s/t{t}");
    mkdirs(fs, &dir)?;
    let mut model: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut shared = 0;
    for j in 0..1000usize {
        let name = format!("f{}", j % 8);
        let path = format!("{dir}/{name}");
        let step = |what: &str| format!("op {j} {what} {path}");
        match j % 7 {
            0 => {
                let data = format!("{t}:{j}").into_bytes();
                ok(fs.write(p(&path), &data), &step("write"))?;
                model.insert(name, data);
            }
            1 => match model.get(&name) {
                Some(want) => ensure_bytes(&get(fs, &path)?, want, &step("read"))?,
                None => expect_err(fs.read(p(&path)), NOT_FOUND, &step("read"))?,
            },
            2 => {
                ok(fs.append(p(&path), b"+"), &step("append"))?;
                model.entry(name).or_default().push(b'+');
            }
            3 => match model.get(&name) {
                Some(want) => {
                    let m = ok(fs.metadata(p(&path)), &step("metadata"))?;
                    ensure_eq(&m.size, &(want.len() as u64), &step("size"))?;
                }
                None => expect_err(fs.metadata(p(&path)), NOT_FOUND, &step("metadata"))?,
            },
            4 => {
                let to_name = format!("f{}", (j + 1) % 8);
                let to = format!("{dir}/{to_name}");
                match model.remove(&name) {
                    Some(data) => {
                        ok(fs.rename(p(&path), p(&to)), &step("rename"))?;
                        model.insert(to_name, data);
                    }
                    None => expect_err(fs.rename(p(&path), p(&to)), NOT_FOUND, &step("rename"))?,
                }
            }
            5 => {
                let listed = names(fs, &dir)?;
                let want: BTreeSet<String> = model.keys().cloned().collect();
                ensure_eq(&listed, &want, &step("read_dir"))?;
                if j % 100 == 5 {
                    put(fs, &format!("/s/shared/t{t}_{j}"), b"x")?;
                    shared += 1;
                    names(fs, "/s/shared")?;
                }
            }
            _ => match model.remove(&name) {
                Some(_) => ok(fs.remove_file(p(&path)), &step("remove_file"))?,
                None => expect_err(fs.remove_file(p(&path)), NOT_FOUND, &step("remove_file"))?,
            },
        }
    }
    let want: BTreeSet<String> = model.keys().cloned().collect();
    ensure_eq(&names(fs, &dir)?, &want, "final listing")?;
    for (name, data) in &model {
        ensure_bytes(&get(fs, &format!("{dir}/{name}"))?, data, "final content")?;
    }
    Ok(shared)
}

fn stress_100_threads_1000_ops<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/s/shared")?;
    let shared = race(&fs, 100, stress_thread::<B>)?;
    ensure_eq(
        &names(&fs, "/s")?.len(),
        &101,
        "thread directories + shared",
    )?;
    let expected: usize = shared.iter().sum();
    ensure_eq(
        &names(&fs, "/s/shared")?.len(),
        &expected,
        "shared directory entries",
    )
}
