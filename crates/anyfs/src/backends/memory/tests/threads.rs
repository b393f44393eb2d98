//! Many threads at once: every operation is atomic and nothing panics or deadlocks.

use std::sync::Arc;
use std::thread;

use anyfs_backend::{FsDir, FsLink, FsPosix, FsRead, FsStats, FsWrite};

use super::{p, MemoryBackend};

fn spawn_all<F>(n: usize, f: F)
where
    F: Fn(usize) + Send + Sync + 'static,
{
    let f = Arc::new(f);
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let f = f.clone();
            thread::spawn(move || f(i))
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn is_send_sync_and_usable_as_dyn_fs_posix() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<MemoryBackend>();
    let fs: Arc<dyn FsPosix> = Arc::new(MemoryBackend::new());
    fs.write(p("/x"), b"1").unwrap();
    assert_eq!(fs.read(p("/x")).unwrap(), b"1");
}

#[test]
fn concurrent_create_dir_all_on_the_same_path() {
    let fs = MemoryBackend::new();
    let shared = fs.clone();
    spawn_all(8, move |_| shared.create_dir_all(p("/a/b/c/d")).unwrap());
    assert!(fs.metadata(p("/a/b/c/d")).unwrap().is_dir());
    assert_eq!(fs.read_dir(p("/a")).unwrap().len(), 1);
}

#[test]
fn concurrent_writers_to_different_files_and_appenders_to_one() {
    let fs = MemoryBackend::new();
    let shared = fs.clone();
    spawn_all(8, move |i| {
        for j in 0..100 {
            shared
                .write(p(&format!("/f{i}_{j}")), format!("{i}-{j}").as_bytes())
                .unwrap();
            shared.append(p("/log"), b"x").unwrap();
        }
    });
    assert_eq!(fs.read_dir(p("/")).unwrap().len(), 801);
    assert_eq!(fs.read(p("/log")).unwrap().len(), 800);
    assert_eq!(fs.read(p("/f3_42")).unwrap(), b"3-42");
    let expected: u64 = (0..8)
        .flat_map(|i| (0..100).map(move |j| format!("{i}-{j}").len() as u64))
        .sum::<u64>()
        + 800;
    assert_eq!(fs.statfs().unwrap().used_bytes, expected);
}

#[test]
fn readers_never_see_a_torn_write_and_read_dir_while_it_changes() {
    let fs = MemoryBackend::new();
    fs.write(p("/f"), &[0u8; 64]).unwrap();
    let shared = fs.clone();
    spawn_all(6, move |i| {
        for round in 0..300u32 {
            if i % 2 == 0 {
                let byte = (round % 250) as u8 + 1;
                shared.write(p("/f"), &[byte; 64]).unwrap();
                let name = format!("/churn{i}");
                shared.write(p(&name), b"").unwrap();
                shared.remove_file(p(&name)).unwrap();
            } else {
                let data = shared.read(p("/f")).unwrap();
                assert_eq!(data.len(), 64);
                assert!(data.iter().all(|b| *b == data[0]), "torn read");
                for entry in shared.read_dir(p("/")).unwrap() {
                    // An entry seen in a listing may be gone by now, never half there.
                    let _ = shared.symlink_metadata(&p("/").join(&entry.name));
                }
            }
        }
    });
}

#[test]
fn hundred_threads_thousand_ops() {
    let fs = MemoryBackend::new();
    let shared = fs.clone();
    spawn_all(100, move |i| {
        let dir = format!("/t{i}");
        shared.create_dir(p(&dir)).unwrap();
        for j in 0..1000 {
            let file = format!("{dir}/{}", j % 10);
            match j % 4 {
                0 => shared.write(p(&file), b"abc").unwrap(),
                1 => {
                    let _ = shared.read(p(&file));
                }
                2 => {
                    let _ = shared.metadata(p(&file));
                }
                _ => {
                    let _ = shared.remove_file(p(&file));
                }
            }
        }
    });
    assert_eq!(fs.read_dir(p("/")).unwrap().len(), 100);
}
