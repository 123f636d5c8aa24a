use super::git::bytes_to_path;
use super::log::{parse_log, Mode, ParseEnd};
use super::*;
use std::process::Command;

const DAY: i64 = 86_400;
const T0: i64 = 1_600_000_000; // 2020-09-13T12:26:40Z

/// A scratch repository whose git calls ignore the user's configuration.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let r = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        c.current_dir(self.path())
            .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path())
            .env("GIT_AUTHOR_NAME", "Alice")
            .env("GIT_AUTHOR_EMAIL", "alice@example.com")
            .env("GIT_COMMITTER_NAME", "Alice")
            .env("GIT_COMMITTER_EMAIL", "alice@example.com");
        for k in GIT_ENV_REMOVE {
            c.env_remove(k);
        }
        c
    }

    fn git(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn write(&self, path: &str, content: &str) {
        self.write_bytes(path.as_bytes(), content.as_bytes());
    }

    fn write_bytes(&self, path: &[u8], content: &[u8]) {
        let p = self.path().join(bytes_to_path(path));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    fn append(&self, path: &str, line: &str) {
        let p = self.path().join(path);
        let mut s = std::fs::read_to_string(&p).unwrap();
        s.push_str(line);
        s.push('\n');
        std::fs::write(p, s).unwrap();
    }

    fn rm(&self, path: &str) {
        self.git(&["rm", "-q", path]);
    }

    /// Commits everything as `who <email>` at `time` (author = committer time).
    fn commit_at(&self, time: i64, who: &str, email: &str, msg: &str) -> String {
        self.git(&["add", "-A"]);
        let date = format!("@{time} +0000");
        let out = self
            .cmd(&["commit", "-q", "--allow-empty", "-m", msg])
            .env("GIT_AUTHOR_NAME", who)
            .env("GIT_AUTHOR_EMAIL", email)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "HEAD"])
    }

    fn commit(&self, day: i64, msg: &str) -> String {
        self.commit_at(T0 + day * DAY, "Alice", "alice@example.com", msg)
    }

    /// `git args` with `input` on stdin.
    fn git_with_input(&self, args: &[&str], input: &[u8]) -> String {
        use std::io::Write as _;
        let mut child = self
            .cmd(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Commits the top-level file `path` with `content` on top of `HEAD` in
    /// a store that has lost blobs. `git add` and `git commit` cannot be
    /// used there: `commit` refuses a tree naming a missing blob, and
    /// whether `add` writes the unchanged files' blobs again depends on
    /// timing (git re-hashes, and so re-writes, a file whose modification
    /// time is the index's second: racy git). So the blob is written
    /// alone and the tree is made with `mktree --missing`.
    fn commit_over_lost_blobs(&self, day: i64, path: &str, content: &str, msg: &str) -> String {
        let blob = self.git_with_input(&["hash-object", "-w", "--stdin"], content.as_bytes());
        let mut listing: Vec<String> = self
            .git(&["ls-tree", "HEAD"])
            .lines()
            .filter(|l| l.split('\t').nth(1) != Some(path))
            .map(str::to_string)
            .collect();
        listing.push(format!("100644 blob {blob}\t{path}"));
        let tree = self.git_with_input(&["mktree", "--missing"], listing.join("\n").as_bytes());
        let date = format!("@{} +0000", T0 + day * DAY);
        let out = self
            .cmd(&["commit-tree", &tree, "-p", "HEAD", "-m", msg])
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        self.git(&["update-ref", "HEAD", &id]);
        id
    }
}

fn lines(n: usize, tag: &str) -> String {
    (0..n).map(|i| format!("{tag} line {i}\n")).collect()
}

fn mine_ok(root: &Path, opts: &HistoryOptions) -> History {
    mine(root, opts).unwrap_or_else(|e| panic!("mine failed: {e}"))
}

/// [`mine_ok`] with the default options and `jobs` git processes.
fn mine_jobs(root: &Path, jobs: usize) -> History {
    mine_ok(
        root,
        &HistoryOptions {
            jobs: Some(jobs),
            ..Default::default()
        },
    )
}

/// (commits analysed, read without line counts, skipped).
fn read_counts(h: &History) -> (usize, usize, usize) {
    (h.commits_analyzed, h.partial_commits, h.skipped_commits)
}

fn file<'a>(h: &'a History, name: &str) -> &'a FileHistory {
    h.files
        .get(name)
        .unwrap_or_else(|| panic!("{name} missing from {:?}", h.files.keys()))
}

fn pair<'a>(h: &'a History, a: &str, b: &str) -> &'a CoChange {
    h.pairs
        .iter()
        .find(|p| p.a == a && p.b == b)
        .unwrap_or_else(|| panic!("pair {a} {b} missing"))
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn keys(h: &History) -> Vec<&str> {
    h.files.keys().map(String::as_str).collect()
}

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() < 1e-9
}

/// c1 adds a, b, old (10 lines), gone; c2 edits a, b; c3 renames old→new
/// with one line changed; c4 edits new and a; c5 (a bot) edits b; c6
/// deletes gone and edits a line of a.
fn scripted() -> Repo {
    let r = Repo::new();
    r.write("a.txt", "1\n2\n3\n");
    r.write("b.txt", "x\ny\n");
    r.write("old.txt", &lines(10, "old"));
    r.write("gone.txt", "bye\n");
    r.commit_at(T0 + DAY, "Alice", "alice@example.com", "c1");
    r.append("a.txt", "4");
    r.append("b.txt", "z");
    r.commit_at(T0 + 2 * DAY, "Bob", "bob@example.com", "c2");
    r.git(&["mv", "old.txt", "new.txt"]);
    let mut s = lines(10, "old");
    s = s.replacen("old line 0", "new line 0", 1);
    r.write("new.txt", &s);
    r.commit_at(T0 + 3 * DAY, "Alice", "alice@example.com", "c3");
    r.append("new.txt", "more");
    r.append("a.txt", "5");
    r.commit_at(T0 + 4 * DAY, "Carol", "carol@example.com", "c4");
    r.append("b.txt", "bump");
    r.commit_at(
        T0 + 5 * DAY,
        "dependabot[bot]",
        "49699333+dependabot[bot]@users.noreply.github.com",
        "c5",
    );
    r.rm("gone.txt");
    r.write("a.txt", "one\n2\n3\n4\n5\n");
    r.commit_at(T0 + 6 * DAY, "Alice", "alice@example.com", "c6");
    r
}

#[test]
fn edits_renames_deletions_bots_and_pairs() {
    let r = scripted();
    let h = mine_ok(r.path(), &HistoryOptions::default());
    assert_eq!(
        h.head.as_deref(),
        Some(r.git(&["rev-parse", "HEAD"]).as_str())
    );
    assert_eq!(h.commits_analyzed, 6);
    assert_eq!((h.skipped_commits, h.partial_commits), (0, 0));
    assert!(!h.shallow);
    assert_eq!(h.window, Some((T0 + DAY, T0 + 6 * DAY)));
    assert!(h.warnings.is_empty(), "{:?}", h.warnings);
    assert_eq!(keys(&h), ["a.txt", "b.txt", "new.txt"]); // gone.txt is deleted at HEAD

    let a = file(&h, "a.txt");
    assert_eq!((a.commits, a.changesets, a.churn), (4, 4, 3 + 1 + 1 + 2));
    assert_eq!(a.authors, names(&["Alice", "Bob", "Carol"]));
    assert_eq!((a.first_change, a.last_change), (T0 + DAY, T0 + 6 * DAY));

    let b = file(&h, "b.txt");
    assert_eq!((b.commits, b.churn), (3, 2 + 1 + 1));
    assert_eq!(
        b.authors,
        names(&["Alice", "Bob"]),
        "the bot is not an author"
    );
    assert_eq!(b.last_change, T0 + 5 * DAY, "the bot's commit still counts");

    // history survives the rename: 10 lines added, 1+1 on the rename, +1
    let n = file(&h, "new.txt");
    assert_eq!((n.commits, n.churn), (3, 10 + 2 + 1));
    assert_eq!(n.authors, names(&["Alice", "Carol"]));
    assert_eq!((n.first_change, n.last_change), (T0 + DAY, T0 + 4 * DAY));

    // changesets: c1 {a,b,new} c2 {a,b} c3 {new} c4 {a,new} c5 {b} c6 {a};
    // c1 has 4 paths (gone.txt too), so each of its pairs weighs 1/3
    assert_eq!(h.pairs.len(), 3);
    let ab = pair(&h, "a.txt", "b.txt");
    assert_eq!((ab.shared, ab.revs_a, ab.revs_b), (2, 4, 3));
    assert!(close(ab.weight, 1.0 / 3.0 + 1.0));
    assert!(close(ab.degree, 100.0 * 2.0 / 3.5));
    assert!(close(ab.confidence_ab, 0.5));
    assert!(close(ab.confidence_ba, 2.0 / 3.0));
    let an = pair(&h, "a.txt", "new.txt");
    assert_eq!((an.shared, an.revs_a, an.revs_b), (2, 4, 3));
    assert!(close(an.weight, 1.0 / 3.0 + 1.0));
    let bn = pair(&h, "b.txt", "new.txt");
    assert_eq!((bn.shared, bn.revs_a, bn.revs_b), (1, 3, 3));
    assert!(close(bn.weight, 1.0 / 3.0));
    assert!(close(bn.degree, 100.0 / 3.0));
    assert_eq!(h.report_pairs().count(), 0, "too few revs for the report");

    let with_bots = mine_ok(
        r.path(),
        &HistoryOptions {
            include_bots: true,
            ..Default::default()
        },
    );
    assert_eq!(
        file(&with_bots, "b.txt").authors,
        names(&["Alice", "Bob", "dependabot[bot]"])
    );
}

#[test]
fn parallel_reading_gives_identical_results() {
    let r = scripted();
    let one = mine_jobs(r.path(), 1);
    for jobs in [2, 3, 8] {
        let many = mine_jobs(r.path(), jobs);
        assert_eq!(one, many, "jobs = {jobs}");
    }
    assert_eq!(one, mine_ok(r.path(), &HistoryOptions::default()));
}

#[test]
fn detached_head() {
    let r = scripted();
    r.git(&["checkout", "-q", "--detach", "HEAD~2"]); // at c4
    let h = mine_ok(r.path(), &HistoryOptions::default());
    assert_eq!(
        h.head.as_deref(),
        Some(r.git(&["rev-parse", "HEAD"]).as_str())
    );
    assert_eq!(h.commits_analyzed, 4);
    assert_eq!(keys(&h), ["a.txt", "b.txt", "gone.txt", "new.txt"]);
    assert_eq!(file(&h, "a.txt").commits, 3);
    assert_eq!(file(&h, "gone.txt").commits, 1);
}

#[test]
fn merges_skipped_by_default_and_counted_on_request() {
    let r = Repo::new();
    r.write("a.txt", "a\n");
    r.write("b.txt", "b\n");
    r.commit(1, "c1");
    r.git(&["checkout", "-q", "-b", "side"]);
    r.append("b.txt", "side");
    r.commit(2, "side edit");
    r.git(&["checkout", "-q", "main"]);
    r.append("a.txt", "main");
    r.commit(3, "main edit");
    let date = format!("@{} +0000", T0 + 4 * DAY);
    let out = r
        .cmd(&["merge", "-q", "--no-ff", "-m", "merge side", "side"])
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .unwrap();
    assert!(out.status.success());

    let h = mine_ok(r.path(), &HistoryOptions::default());
    assert_eq!(h.commits_analyzed, 3);
    assert_eq!(h.window, Some((T0 + DAY, T0 + 3 * DAY)));
    assert_eq!(
        (file(&h, "a.txt").commits, file(&h, "b.txt").commits),
        (2, 2)
    );

    let m = mine_ok(
        r.path(),
        &HistoryOptions {
            include_merges: true,
            ..Default::default()
        },
    );
    assert_eq!(m.commits_analyzed, 4);
    assert_eq!(m.window, Some((T0 + DAY, T0 + 4 * DAY)));
    // the merge brings b.txt's side change into main (diff to first parent)
    let b = file(&m, "b.txt");
    assert_eq!((b.commits, b.churn, b.last_change), (3, 3, T0 + 4 * DAY));
    assert_eq!(file(&m, "a.txt").commits, 2);
}

#[test]
fn mailmap_merges_identities() {
    let r = Repo::new();
    r.write(
        ".mailmap",
        "Alice Smith <alice@new.example> <alice@old.example>\nAlice Smith <alice@new.example>\n",
    );
    r.write("a.txt", "1\n");
    r.commit_at(T0, "alice", "alice@old.example", "c1");
    r.append("a.txt", "2");
    r.commit_at(T0 + DAY, "A. Smith", "alice@new.example", "c2");
    r.append("a.txt", "3");
    r.commit_at(T0 + 2 * DAY, "Bob", "bob@example.com", "c3");
    let h = mine_ok(r.path(), &HistoryOptions::default());
    assert_eq!(file(&h, "a.txt").authors, names(&["Alice Smith", "Bob"]));
    assert_eq!(file(&h, ".mailmap").authors, names(&["Alice Smith"]));
}

#[test]
fn large_changesets_leave_no_pairs() {
    let r = Repo::new();
    for i in 0..31 {
        r.write(&format!("f{i:02}.txt"), "x\n");
    }
    r.commit(1, "31 files");
    r.append("f00.txt", "y");
    r.append("f01.txt", "y");
    r.commit(2, "two files");
    let h = mine_ok(r.path(), &HistoryOptions::default());
    assert_eq!(h.files.len(), 31);
    assert_eq!(file(&h, "f30.txt").commits, 1);
    assert_eq!(h.pairs.len(), 1);
    let p = pair(&h, "f00.txt", "f01.txt");
    assert_eq!((p.shared, p.revs_a, p.revs_b), (1, 2, 2));
    assert!(close(p.weight, 1.0));
    assert!(close(p.degree, 50.0));

    let all = mine_ok(
        r.path(),
        &HistoryOptions {
            max_changeset: 31,
            ..Default::default()
        },
    );
    assert_eq!(all.pairs.len(), 31 * 30 / 2);
    let p = pair(&all, "f00.txt", "f01.txt");
    assert_eq!(p.shared, 2);
    assert!(close(p.weight, 1.0 + 1.0 / 30.0));
    let q = pair(&all, "f05.txt", "f06.txt");
    assert_eq!((q.shared, q.revs_a, q.revs_b), (1, 1, 1));
    assert!(close(q.weight, 1.0 / 30.0));
}

#[test]
fn binary_files_have_no_churn_and_gitlinks_are_ignored() {
    let r = Repo::new();
    r.write_bytes(b"img.bin", b"\x00\x01\x02PNG");
    r.write("t.txt", "1\n2\n");
    r.commit(1, "c1");
    r.write_bytes(b"img.bin", b"\x00\x03\x04PNG and more");
    r.append("t.txt", "3");
    let head = r.git(&["rev-parse", "HEAD"]);
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{head},vendor/sub"),
    ]);
    r.commit(2, "c2");
    let h = mine_ok(r.path(), &HistoryOptions::default());
    assert_eq!(keys(&h), ["img.bin", "t.txt"]);
    let b = file(&h, "img.bin");
    assert_eq!((b.commits, b.churn), (2, 0));
    assert_eq!(file(&h, "t.txt").churn, 3);
    assert_eq!(pair(&h, "img.bin", "t.txt").shared, 2);
}

#[test]
fn odd_paths_survive() {
    let r = Repo::new();
    let spaced = "dir with space/it's \"q\" \\ file.txt";
    r.write(spaced, "1\n2\n3\n4\n5\n6\n");
    r.write("tab\there.txt", "t\n");
    #[cfg(unix)]
    {
        r.write("new\nline.txt", "n\n");
        r.write_bytes(b"caf\xe9.txt", b"latin-1 name\n");
    }
    r.commit(1, "c1");
    std::fs::create_dir(r.path().join("other dir")).unwrap();
    r.git(&["mv", spaced, "other dir/\"moved\" it's.txt"]);
    r.append("other dir/\"moved\" it's.txt", "7");
    r.append("tab\there.txt", "u");
    r.commit(2, "c2");
    let h = mine_ok(r.path(), &HistoryOptions::default());
    let m = file(&h, "other dir/\"moved\" it's.txt");
    assert_eq!((m.commits, m.churn), (2, 7));
    assert_eq!(file(&h, "tab\there.txt").commits, 2);
    assert_eq!(
        pair(&h, "other dir/\"moved\" it's.txt", "tab\there.txt").shared,
        2
    );
    #[cfg(unix)]
    {
        assert_eq!(file(&h, "new\nline.txt").commits, 1);
        assert_eq!(file(&h, "caf\u{FFFD}.txt").churn, 1);
        assert_eq!(h.files.len(), 4);
    }
}

fn five_commits() -> Repo {
    let r = Repo::new();
    for day in 1..=5 {
        r.append_or_create("a.txt", &format!("a{day}"));
        if day % 2 == 1 {
            r.append_or_create("b.txt", &format!("b{day}"));
        }
        r.commit(day, &format!("c{day}"));
    }
    r
}

impl Repo {
    fn append_or_create(&self, path: &str, line: &str) {
        if self.path().join(path).exists() {
            self.append(path, line);
        } else {
            self.write(path, &format!("{line}\n"));
        }
    }
}

#[test]
fn max_commits_keeps_the_newest() {
    let r = five_commits();
    let h = mine_ok(
        r.path(),
        &HistoryOptions {
            max_commits: Some(2),
            ..Default::default()
        },
    );
    assert_eq!(h.commits_analyzed, 2);
    assert_eq!(h.window, Some((T0 + 4 * DAY, T0 + 5 * DAY)));
    assert_eq!(file(&h, "a.txt").commits, 2);
    let b = file(&h, "b.txt");
    assert_eq!((b.commits, b.churn, b.first_change), (1, 1, T0 + 5 * DAY));
    let none = mine_ok(
        r.path(),
        &HistoryOptions {
            max_commits: Some(0),
            ..Default::default()
        },
    );
    assert_eq!(
        (none.commits_analyzed, none.files.len(), none.window),
        (0, 0, None)
    );
    assert_eq!(none.warnings, ["no commits in the selected window"]);
}

#[test]
fn since_limits_the_window() {
    let r = five_commits();
    let h = mine_ok(
        r.path(),
        &HistoryOptions {
            since: Some("2020-09-16T00:00:00Z".into()), // between day 2 and day 3
            ..Default::default()
        },
    );
    assert_eq!(h.commits_analyzed, 3);
    assert_eq!(h.window, Some((T0 + 3 * DAY, T0 + 5 * DAY)));
    assert_eq!(file(&h, "a.txt").commits, 3);
    assert_eq!(file(&h, "b.txt").commits, 2);
    let p = pair(&h, "a.txt", "b.txt");
    assert_eq!((p.shared, p.revs_a, p.revs_b), (2, 3, 2));
}

fn ticket_repo() -> Repo {
    let r = Repo::new();
    r.write("a.txt", "a\n");
    r.write("b.txt", "b\n");
    r.commit_at(T0, "Alice", "alice@example.com", "PROJ-1 part 1");
    r.write("c.txt", "c\n");
    r.commit_at(
        T0 + 3600,
        "Alice",
        "alice@example.com",
        "part 2\n\nRefs PROJ-1",
    );
    r.append("a.txt", "a2");
    r.append("c.txt", "c2");
    r.commit_at(T0 + DAY, "Bob", "bob@example.com", "PROJ-2: fix");
    r.append("b.txt", "b2");
    r.append("c.txt", "c3");
    r.commit_at(T0 + DAY + 60, "Bob", "bob@example.com", "no ticket");
    r.append("a.txt", "a3");
    r.commit_at(T0 + 2 * DAY, "Alice", "alice@example.com", "PROJ-1 part 3");
    r
}

#[test]
fn ticket_grouping() {
    let r = ticket_repo();
    let h = mine_ok(
        r.path(),
        &HistoryOptions {
            grouping: Grouping::Ticket(r"\b([A-Z]+-\d+)\b".into()),
            ..Default::default()
        },
    );
    // changesets: PROJ-1 {a,b,c}, PROJ-2 {a,c}, "no ticket" {b,c}
    let a = file(&h, "a.txt");
    assert_eq!((a.commits, a.changesets), (3, 2));
    assert_eq!(
        (file(&h, "b.txt").commits, file(&h, "b.txt").changesets),
        (2, 2)
    );
    assert_eq!(
        (file(&h, "c.txt").commits, file(&h, "c.txt").changesets),
        (3, 3)
    );
    assert_eq!(h.pairs.len(), 3);
    let ab = pair(&h, "a.txt", "b.txt");
    assert_eq!((ab.shared, ab.revs_a, ab.revs_b), (1, 2, 2));
    assert!(close(ab.weight, 0.5));
    let ac = pair(&h, "a.txt", "c.txt");
    assert_eq!((ac.shared, ac.revs_a, ac.revs_b), (2, 2, 3));
    assert!(close(ac.weight, 1.5));
    let bc = pair(&h, "b.txt", "c.txt");
    assert_eq!((bc.shared, bc.revs_a, bc.revs_b), (2, 2, 3));
    assert!(close(bc.weight, 1.5));

    // without grouping: c1 {a,b} c2 {c} c3 {a,c} c4 {b,c} c5 {a}
    let plain = mine_ok(r.path(), &HistoryOptions::default());
    assert_eq!(file(&plain, "a.txt").changesets, 3);
    assert_eq!(pair(&plain, "a.txt", "b.txt").shared, 1);
    assert_eq!(pair(&plain, "a.txt", "c.txt").shared, 1);
    assert_eq!(pair(&plain, "b.txt", "c.txt").shared, 1);

    assert!(matches!(
        mine(
            r.path(),
            &HistoryOptions {
                grouping: Grouping::Ticket("(".into()),
                ..Default::default()
            }
        ),
        Err(HistoryError::TicketPattern { .. })
    ));
}

#[test]
fn author_day_grouping() {
    let r = ticket_repo();
    let h = mine_ok(
        r.path(),
        &HistoryOptions {
            grouping: Grouping::AuthorDay,
            ..Default::default()
        },
    );
    // changesets: Alice day 0 {a,b,c}, Bob day 1 {a,b,c}, Alice day 2 {a}
    assert_eq!(file(&h, "a.txt").changesets, 3);
    assert_eq!(file(&h, "c.txt").changesets, 2);
    let bc = pair(&h, "b.txt", "c.txt");
    assert_eq!((bc.shared, bc.revs_a, bc.revs_b), (2, 2, 2));
    assert!(close(bc.weight, 1.0));
    let ab = pair(&h, "a.txt", "b.txt");
    assert_eq!((ab.shared, ab.revs_a, ab.revs_b), (2, 3, 2));
}

// Issue 19: a path keeps its history across delete and re-add, as
// `git log -- PATH` counts it (the deletion is one of its commits).
#[test]
fn deleted_then_readded_keeps_its_history() {
    let r = Repo::new();
    r.write("p.txt", "1\n");
    r.write("q.txt", "q\n");
    r.commit(1, "add");
    r.append("p.txt", "2");
    r.commit(2, "edit");
    r.rm("p.txt");
    r.commit(3, "delete");
    r.write("p.txt", "new\n");
    r.commit(4, "re-add");
    r.append("p.txt", "again");
    r.commit(5, "edit again");
    let h = mine_ok(r.path(), &HistoryOptions::default());
    let p = file(&h, "p.txt");
    let git_log = r.git(&["log", "--format=%H", "--", "p.txt"]);
    assert_eq!(p.commits as usize, git_log.lines().count());
    // churn: add 1, edit 1, delete 2, re-add 1, edit 1
    assert_eq!((p.commits, p.churn, p.first_change), (5, 6, T0 + DAY));
    assert_eq!(pair(&h, "p.txt", "q.txt").shared, 1);
    assert_eq!(h.pairs.len(), 1);
}

// Issue 19: the size of a changeset is every path the commit touched, not
// only the files that exist at HEAD.
#[test]
fn changeset_size_counts_every_path() {
    let r = Repo::new();
    r.write("a.txt", "a\n");
    r.write("b.txt", "b\n");
    for i in 0..29 {
        r.write(&format!("tmp/t{i:02}.txt"), "t\n");
    }
    r.commit(1, "31 paths, 2 of them at HEAD");
    r.git(&["rm", "-q", "-r", "tmp"]);
    r.commit(2, "29 deletions");
    r.append("a.txt", "a2");
    r.append("b.txt", "b2");
    r.write("c.txt", "c\n");
    r.commit(3, "3 paths");
    r.rm("c.txt");
    r.commit(4, "c goes");
    let h = mine_ok(r.path(), &HistoryOptions::default());
    assert_eq!(keys(&h), ["a.txt", "b.txt"]);
    let p = pair(&h, "a.txt", "b.txt");
    assert_eq!((p.shared, p.revs_a, p.revs_b), (1, 2, 2), "c1 has 31 paths");
    assert!(close(p.weight, 0.5), "c3 has 3 paths: 1/(3-1)");
    let wide = mine_ok(
        r.path(),
        &HistoryOptions {
            max_changeset: 31,
            ..Default::default()
        },
    );
    let p = pair(&wide, "a.txt", "b.txt");
    assert_eq!(p.shared, 2);
    assert!(close(p.weight, 0.5 + 1.0 / 30.0));
    // grouped: c1 and c3 in one ticket give 32 distinct paths
    r.append("a.txt", "a3");
    r.commit(5, "no ticket");
    let g = mine_ok(
        r.path(),
        &HistoryOptions {
            max_changeset: 32,
            grouping: Grouping::Ticket("^(\\d+) paths".into()),
            ..Default::default()
        },
    );
    let p = pair(&g, "a.txt", "b.txt");
    assert_eq!((p.shared, p.revs_a, p.revs_b), (2, 3, 2));
    assert!(close(p.weight, 0.5 + 1.0 / 30.0));
}

#[test]
fn subfolder_root() {
    let r = Repo::new();
    r.write("sub/x.txt", "x\n");
    r.write("sub/y.txt", "y\n");
    r.write("other/w.txt", &lines(10, "w"));
    r.write("top.txt", "t\n");
    r.commit(1, "c1");
    r.append("sub/x.txt", "x2");
    r.append("top.txt", "t2");
    r.commit(2, "c2 touches sub and top");
    r.append("top.txt", "t3");
    r.commit(3, "c3 outside sub");
    r.git(&["mv", "other/w.txt", "sub/w.txt"]);
    r.commit(4, "c4 moves w into sub");
    r.append("sub/w.txt", "w2");
    r.append("sub/y.txt", "y2");
    r.commit(5, "c5");
    let h = mine_ok(&r.path().join("sub"), &HistoryOptions::default());
    assert_eq!(h.commits_analyzed, 4, "c3 does not touch sub/");
    assert_eq!(h.window, Some((T0 + DAY, T0 + 5 * DAY)));
    assert_eq!(keys(&h), ["w.txt", "x.txt", "y.txt"]);
    assert_eq!((file(&h, "x.txt").commits, file(&h, "x.txt").churn), (2, 2));
    let w = file(&h, "w.txt");
    assert_eq!(
        (w.commits, w.churn),
        (2, 11),
        "history starts at the move into sub/"
    );
    // c1 {x,y} c2 {x} c4 {w} c5 {w,y}
    assert_eq!(h.pairs.len(), 2);
    assert_eq!(pair(&h, "x.txt", "y.txt").shared, 1);
    assert!(close(pair(&h, "w.txt", "y.txt").weight, 1.0));
    // with a subfolder root, a changeset's size counts the paths under it
    r.append("sub/x.txt", "x3");
    r.append("sub/y.txt", "y3");
    for i in 0..30 {
        r.write(&format!("other/o{i:02}.txt"), "o\n");
    }
    r.commit(6, "c6: 2 paths under sub, 30 outside");
    let s = mine_ok(&r.path().join("sub"), &HistoryOptions::default());
    assert_eq!(pair(&s, "x.txt", "y.txt").shared, 2);
    assert!(close(pair(&s, "x.txt", "y.txt").weight, 2.0));
    // the same from a deeper working directory name with a space
    r.write("sub/deep er/z.txt", "z\n");
    r.commit(7, "c7");
    let d = mine_ok(&r.path().join("sub/deep er"), &HistoryOptions::default());
    assert_eq!(keys(&d), ["z.txt"]);
    assert_eq!(d.commits_analyzed, 1);
}

#[test]
fn non_repository_and_empty_repository_and_missing_git() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        mine(dir.path(), &HistoryOptions::default()),
        Err(HistoryError::NotARepository(p)) if p == dir.path()
    ));
    let missing = dir.path().join("nope");
    assert!(matches!(
        mine(&missing, &HistoryOptions::default()),
        Err(HistoryError::RootNotFound(_))
    ));
    let r = Repo::new();
    let e = mine(r.path(), &HistoryOptions::default()).unwrap_err();
    assert!(matches!(e, HistoryError::NoCommits), "{e:?}");
    assert_eq!(e.to_string(), "the git repository has no commits yet");
    assert!(matches!(
        mine_with_git(
            OsStr::new("/nonexistent/bin/git"),
            r.path(),
            &HistoryOptions::default()
        ),
        Err(HistoryError::GitMissing)
    ));
}

#[test]
fn shallow_clone() {
    let src = five_commits();
    let dst = tempfile::tempdir().unwrap();
    let url = format!("file://{}", src.path().display());
    let target = dst.path().join("clone");
    src.git(&[
        "clone",
        "-q",
        "--depth",
        "3",
        &url,
        target.to_str().unwrap(),
    ]);
    let h = mine_ok(&target, &HistoryOptions::default());
    assert!(h.shallow);
    assert_eq!(h.warnings.len(), 1, "{:?}", h.warnings);
    assert!(h.warnings[0].starts_with("history is shallow: "));
    assert!(h.warnings[0].contains("1 boundary commit"));
    // commits 3, 4, 5 are present; 3 is the boundary, its diff unknown
    assert_eq!(h.commits_analyzed, 2);
    assert_eq!(h.window, Some((T0 + 4 * DAY, T0 + 5 * DAY)));
    assert_eq!(file(&h, "a.txt").commits, 2);
    assert_eq!(file(&h, "a.txt").churn, 2);
    assert_eq!(file(&h, "b.txt").commits, 1);
}

/// Removes the loose objects `ids` from the store of the repository at `root`.
fn lose<'a>(root: &Path, ids: impl IntoIterator<Item = &'a String>) {
    for id in ids {
        let p = root.join(".git/objects").join(&id[..2]).join(&id[2..]);
        std::fs::remove_file(p).unwrap();
    }
}

#[test]
fn missing_blob_falls_back_to_tree_only() {
    let r = Repo::new();
    r.write("a.txt", &lines(5, "a"));
    r.write("b.txt", "b\n");
    r.commit(1, "c1");
    let lost = r.git(&["rev-parse", "HEAD:a.txt"]);
    r.git(&["mv", "b.txt", "c.txt"]);
    r.write("a.txt", &lines(6, "a"));
    r.commit(2, "c2");
    r.append("c.txt", "c");
    r.commit(3, "c3");
    lose(r.path(), [&lost]);
    for jobs in [1, 2] {
        let h = mine_jobs(r.path(), jobs);
        // c1 and c2 need the lost blob for line counts; their trees are fine
        assert_eq!(read_counts(&h), (3, 2, 0));
        assert_eq!(h.warnings.len(), 1, "{:?}", h.warnings);
        assert!(h.warnings[0].contains("2 were read without line counts"));
        assert!(
            h.warnings[0].contains("unable to read"),
            "{}",
            h.warnings[0]
        );
        let a = file(&h, "a.txt");
        assert_eq!((a.commits, a.churn), (2, 0));
        // the exact rename b → c is still followed
        let c = file(&h, "c.txt");
        assert_eq!((c.commits, c.churn), (3, 1));
        assert_eq!(pair(&h, "a.txt", "c.txt").shared, 2);
    }
}

#[test]
fn many_missing_blobs_switch_to_tree_only() {
    let r = Repo::new();
    let mut lost = Vec::new();
    for day in 1..=20 {
        r.write("a.txt", &lines(day as usize, "a"));
        r.write(&format!("f{day:02}.txt"), "f\n");
        r.commit(day, "c");
        if day < 20 {
            lost.push(r.git(&["rev-parse", "HEAD:a.txt"]));
        }
    }
    lose(r.path(), &lost);
    let h = mine_jobs(r.path(), 1);
    // every commit needs a lost blob of a.txt for its line counts
    assert_eq!(read_counts(&h), (20, 20, 0));
    assert_eq!(h.warnings.len(), 1, "{:?}", h.warnings);
    assert!(h.warnings[0].starts_with("20 commit(s) could not be read completely"));
    assert!(
        h.warnings[0].contains("in 1 stretch(es) of 256 consecutive commits"),
        "{}",
        h.warnings[0]
    );
    assert!(h.warnings[0].contains("the rest of the stretch was read without line counts"));
    let a = file(&h, "a.txt");
    assert_eq!((a.commits, a.churn), (20, 0));
    assert_eq!(file(&h, "f07.txt").commits, 1);
    assert_eq!(pair(&h, "a.txt", "f07.txt").shared, 1);
}

#[test]
fn missing_blob_in_rename_detection() {
    let r = Repo::new();
    r.write("x.txt", &lines(10, "x"));
    r.write("y.txt", "y\n");
    r.commit(1, "c1");
    let lost = r.git(&["rev-parse", "HEAD:x.txt"]);
    r.append("y.txt", "y2");
    r.commit(2, "c2");
    r.rm("x.txt");
    r.write("z.txt", &lines(10, "x").replacen("x line 0", "z line 0", 1));
    r.commit(3, "c3: inexact rename x -> z");
    r.append("y.txt", "y3");
    r.commit(4, "c4");
    lose(r.path(), [&lost]);
    let h = mine_jobs(r.path(), 1);
    // c3 dies in rename detection, before its header: c4 printed just
    // before is complete. c1 dies on its line counts after its header.
    assert_eq!(read_counts(&h), (4, 2, 0));
    let y = file(&h, "y.txt");
    assert_eq!(
        (y.commits, y.churn),
        (3, 2),
        "c2 and c4 keep their line counts"
    );
    let z = file(&h, "z.txt");
    assert_eq!((z.commits, z.churn), (1, 0), "the inexact rename is lost");
    assert!(!h.files.contains_key("x.txt"));
}

#[test]
fn missing_tree_skips_commits() {
    let r = Repo::new();
    r.write("d/a.txt", "a\n");
    r.commit(1, "c1");
    r.append("d/a.txt", "a2");
    r.commit(2, "c2");
    let lost = r.git(&["rev-parse", "HEAD~1:d"]);
    r.append("d/a.txt", "a3");
    r.commit(3, "c3");
    lose(r.path(), [&lost]);
    let h = mine_ok(r.path(), &HistoryOptions::default());
    // c1 and c2 both need the lost tree d/ of c1
    assert_eq!(read_counts(&h), (1, 0, 2));
    assert_eq!(file(&h, "d/a.txt").commits, 1);
    assert_eq!(h.warnings.len(), 1, "{:?}", h.warnings);
    assert!(h.warnings[0].contains("2 were skipped"));
}

#[test]
fn bots() {
    assert!(is_bot(
        "dependabot[bot]",
        "49699333+dependabot[bot]@users.noreply.github.com"
    ));
    assert!(is_bot(
        "renovate[bot]",
        "29139614+renovate[bot]@users.noreply.github.com"
    ));
    assert!(is_bot("Renovate Bot", "bot@renovateapp.com"));
    assert!(is_bot(
        "github-actions",
        "41898282+github-actions[bot]@users.noreply.github.com"
    ));
    assert!(is_bot("some-app[bot]", "x@example.com"));
    assert!(is_bot("Dependabot", "support@github.com"));
    assert!(!is_bot("Alice", "alice@example.com"));
    assert!(!is_bot("Bot Botsson", "bot.botsson@example.com"));
    assert!(!is_bot("Renovation Team", "reno@example.com"));
}

#[test]
fn parser_handles_renames_binary_and_empty_commits() {
    let out: &[u8] = b"\x01c2\x00100\x00Ann\x00a@x\x002020-01-01\x00\n\
:100644 100644 o1 o2 R090\x00old name\x00new\ttab\x00\
:100644 100644 o3 o4 M\x00bin\x00\
:160000 160000 o5 o6 M\x00sub\x00\
3\t1\t\x00old name\x00new\ttab\x00-\t-\tbin\x001\t1\tsub\x00\
\x01c1\x0090\x00Bob\x00b@x\x002020-01-01\x00";
    let mut got = Vec::new();
    let end = parse_log(out, false, Mode::Full, &mut |c| {
        got.push(c);
        true
    })
    .unwrap();
    let ParseEnd::Eof(Some(last)) = end else {
        panic!("no last commit")
    };
    assert_eq!(
        (last.id.as_str(), last.time, last.entries.len()),
        ("c1", 90, 0)
    );
    assert_eq!(got.len(), 1);
    let c = &got[0];
    assert_eq!(
        (c.id.as_str(), c.name.as_str(), c.day.as_str()),
        ("c2", "Ann", "2020-01-01")
    );
    let e = &c.entries;
    assert_eq!(e.len(), 3);
    assert_eq!(
        (e[0].status, e[0].src.as_deref(), e[0].path.as_slice()),
        (b'R', Some(&b"old name"[..]), &b"new\ttab"[..])
    );
    assert_eq!(e[0].churn, 4);
    assert_eq!((e[1].churn, e[2].new_gitlink), (0, true));
}

/// Every blob id in the repository (all its objects are loose in tests).
fn all_blobs(r: &Repo) -> Vec<String> {
    let objects = r.git(&["rev-list", "--objects", "--all"]);
    let mut blobs: Vec<String> = objects
        .lines()
        .filter_map(|l| l.split(' ').next())
        .filter(|id| r.git(&["cat-file", "-t", id]) == "blob")
        .map(str::to_string)
        .collect();
    blobs.sort();
    blobs.dedup();
    blobs
}

// Issue 19: a commit whose line counts cannot be read still counts for
// commits and co-change, because its tree diff needs no blobs. A copy of a
// scripted store with blobs removed gives every file the commits, revs and
// pair counts of the healthy store; only churn is lost.
#[test]
fn missing_blobs_lose_no_commit() {
    let r = Repo::new();
    for day in 1..=24 {
        let i = day as usize;
        r.write(&format!("m{}.txt", i % 5), &lines(i, "m"));
        r.write(&format!("n{}.txt", i % 7), &lines(i + 1, "n"));
        if day % 6 == 0 {
            r.rm(&format!("m{}.txt", (i + 1) % 5));
        }
        if day == 9 {
            std::fs::create_dir_all(r.path().join("moved")).unwrap();
            r.git(&["mv", "n3.txt", "moved/n3.txt"]);
        }
        r.commit(day, &format!("c{day}"));
    }
    let healthy = mine_ok(r.path(), &HistoryOptions::default());
    assert!(healthy.files.len() >= 10, "{:?}", keys(&healthy));
    let blobs = all_blobs(&r);
    for (label, step) in [("every other blob", 2), ("every blob", 1)] {
        let copy = tempfile::tempdir().unwrap();
        let out = Command::new("cp")
            .arg("-a")
            .arg(format!("{}/.", r.path().display()))
            .arg(copy.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        lose(copy.path(), blobs.iter().step_by(step));
        for jobs in [1, 2] {
            let h = mine_jobs(copy.path(), jobs);
            assert_eq!(h.skipped_commits, 0, "{label}");
            assert!(h.partial_commits > 0, "{label}");
            assert_eq!(h.commits_analyzed, healthy.commits_analyzed, "{label}");
            assert_eq!(keys(&h), keys(&healthy), "{label}");
            for (name, f) in &healthy.files {
                let g = file(&h, name);
                assert_eq!(
                    (g.commits, g.changesets, g.first_change, g.last_change),
                    (f.commits, f.changesets, f.first_change, f.last_change),
                    "{label}, jobs {jobs}: {name}"
                );
            }
            let shared = |x: &History| -> Vec<(String, String, u32, u64)> {
                x.pairs
                    .iter()
                    .map(|p| (p.a.clone(), p.b.clone(), p.shared, (p.weight * 1e9) as u64))
                    .collect()
            };
            assert_eq!(shared(&h), shared(&healthy), "{label}, jobs {jobs}");
        }
    }
}

/// A [`CommitStore`] in memory that counts its loads and saves.
#[derive(Default)]
struct MemStore {
    files: std::collections::HashMap<String, Vec<u8>>,
    saves: usize,
}

impl CommitStore for MemStore {
    fn load(&mut self, key: &str) -> Option<Vec<u8>> {
        self.files.get(key).cloned()
    }
    fn save(&mut self, key: &str, bytes: &[u8]) {
        self.saves += 1;
        self.files.insert(key.to_string(), bytes.to_vec());
    }
}

// Issue 19: saved commits are not read again. After the first run every
// blob is removed, so a cold run loses all line counts; the warm run reads
// only the new commit and still has them, and equals the first run. (It
// once failed under load: the new commit was made with `git commit`, which
// worked only while racy git wrote the lost blobs back.)
#[test]
fn saved_commits_are_not_read_again() {
    let r = scripted();
    let mut store = MemStore::default();
    let opts = HistoryOptions::default();
    let first = mine_stored(r.path(), &opts, None, &mut store).unwrap();
    assert_eq!(first, mine_ok(r.path(), &opts));
    assert_eq!((store.saves, store.files.len()), (1, 1));
    let again = mine_stored(r.path(), &opts, None, &mut store).unwrap();
    assert_eq!(again, first);
    assert_eq!(store.saves, 1, "nothing new, nothing written");

    lose(r.path(), &all_blobs(&r));
    let damaged = mine_ok(r.path(), &opts);
    assert_eq!(damaged.partial_commits, 6);
    assert_eq!(file(&damaged, "a.txt").churn, 0);
    let warm = mine_stored(r.path(), &opts, None, &mut store).unwrap();
    assert_eq!(warm, first, "every commit came from the store");

    // a new commit on top is read (tree-only here: its blobs are gone) and
    // the result is not saved, since it met missing objects
    let b = std::fs::read_to_string(r.path().join("b.txt")).unwrap();
    r.commit_over_lost_blobs(7, "b.txt", &format!("{b}later\n"), "c7");
    let warm = mine_stored(r.path(), &opts, None, &mut store).unwrap();
    assert_eq!((warm.commits_analyzed, warm.partial_commits), (7, 1));
    assert_eq!(file(&warm, "a.txt").churn, file(&first, "a.txt").churn);
    assert_eq!(file(&warm, "b.txt").commits, 4);
    assert_eq!(store.saves, 1);

    // another root prefix or message grouping is another key
    let grouped = HistoryOptions {
        grouping: Grouping::Ticket("c[0-9]".into()),
        ..HistoryOptions::default()
    };
    mine_stored(r.path(), &grouped, None, &mut store).unwrap();
    assert_eq!(store.files.len(), 1, "not saved: objects are missing");
}

/// Loads a `git fast-import` stream into `r` (one process instead of three
/// per commit), then unpacks its pack so that single objects can be lost.
fn fast_import(r: &Repo, stream: &[u8]) {
    use std::io::Write as _;
    let mut child = r
        .cmd(&["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stream).unwrap();
    assert!(child.wait().unwrap().success());
    let pack_dir = r.path().join(".git/objects/pack");
    for e in std::fs::read_dir(&pack_dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pack") {
            let bytes = std::fs::read(&p).unwrap();
            std::fs::remove_file(&p).unwrap();
            std::fs::remove_file(p.with_extension("idx")).unwrap();
            let mut child = r
                .cmd(&["unpack-objects", "-q"])
                .stdin(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(&bytes).unwrap();
            assert!(child.wait().unwrap().success());
        }
    }
}

/// 700 commits, each appending a line to one file: commits 1..=444 (the
/// older windows) to `old0..4.txt`, 445..=700 (the newest window of 256)
/// to `new0..4.txt`, and 31 of the newest window plus commits 100 and 300
/// to `m.txt` instead. Returns the repository and the blob ids of `m.txt`.
fn long_history() -> (Repo, Vec<String>) {
    let r = Repo::new();
    let mut contents: BTreeMap<String, String> = BTreeMap::new();
    let mut stream = Vec::new();
    for i in 1..=700usize {
        let path = if (600..=630).contains(&i) || i == 100 || i == 300 {
            "m.txt".to_string()
        } else if i < 445 {
            format!("old{}.txt", i % 5)
        } else {
            format!("new{}.txt", i % 5)
        };
        let text = contents.entry(path.clone()).or_default();
        text.push_str(&format!("line {i}\n"));
        let msg = format!("c{i}\n");
        stream.extend_from_slice(
            format!(
                "commit refs/heads/main\nmark :{i}\ncommitter Alice <alice@example.com> {} +0000\ndata {}\n{msg}",
                T0 + i as i64 * 3600,
                msg.len()
            )
            .as_bytes(),
        );
        if i > 1 {
            stream.extend_from_slice(format!("from :{}\n", i - 1).as_bytes());
        }
        stream.extend_from_slice(
            format!("M 100644 inline {path}\ndata {}\n{text}\n", text.len()).as_bytes(),
        );
    }
    fast_import(&r, &stream);
    let m_blobs: Vec<String> = r
        .git(&["log", "--format=", "--raw", "--no-abbrev", "--", "m.txt"])
        .lines()
        .filter_map(|l| l.split_whitespace().nth(3).map(str::to_string))
        .collect();
    (r, m_blobs)
}

// Issue 19: on a damaged store the commits read tree-only are decided per
// window of the commit list, not per process, so every thread count gives
// the same history. Commits 630..=615 are the first 16 failures of the
// newest window; the rest of that window (614..=445) is read tree-only,
// the older windows are not: `old*.txt` keep every line count.
#[test]
fn damaged_store_reads_the_same_whatever_the_jobs() {
    let (r, m_blobs) = long_history();
    assert_eq!(m_blobs.len(), 33);
    let healthy = mine_jobs(r.path(), 1);
    assert_eq!(healthy.commits_analyzed, 700);
    assert_eq!(healthy.partial_commits, 0);
    lose(r.path(), &m_blobs);
    let one = mine_jobs(r.path(), 1);
    assert_eq!((one.commits_analyzed, one.skipped_commits), (700, 0));
    // 16 failures + the 170 commits after them in the newest window + the
    // failing commits 300 and 100 of the older windows
    assert_eq!(one.partial_commits, 16 + 170 + 2, "{:?}", one.warnings);
    assert!(
        one.warnings[0].contains("in 1 stretch(es) of 256"),
        "{:?}",
        one.warnings
    );
    for (name, f) in &healthy.files {
        let g = file(&one, name);
        assert_eq!(
            (g.commits, g.first_change, g.last_change),
            (f.commits, f.first_change, f.last_change),
            "{name}"
        );
        if name.starts_with("old") {
            assert_eq!(g.churn, f.churn, "{name} is in the older windows");
        } else {
            assert!(g.churn < f.churn, "{name}");
        }
    }
    for jobs in [2, 3, 8] {
        assert_eq!(mine_jobs(r.path(), jobs), one, "jobs = {jobs}");
    }
}
