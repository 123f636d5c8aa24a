//! The MoJoFM scorer (tests/common/mojofm.rs) on examples checked by hand,
//! and the two decompositions read from a report (tests/common/decomposition.rs).

#[path = "common/mojofm.rs"]
mod mojofm;

#[path = "common/decomposition.rs"]
mod decomposition;

use mojofm::*;

/// A partition from `cluster: objects` groups, objects one letter each.
fn groups(spec: &[(&str, &str)]) -> Partition {
    let pairs: Vec<(String, String)> = spec
        .iter()
        .flat_map(|(cluster, objects)| {
            objects
                .chars()
                .map(move |o| (o.to_string(), cluster.to_string()))
        })
        .collect();
    partition(&pairs).unwrap()
}

#[test]
fn identical_partitions_score_100() {
    let b = groups(&[("B1", "abcd"), ("B2", "efg"), ("B3", "h")]);
    // The same grouping under other cluster names.
    let a = groups(&[("x", "abcd"), ("y", "efg"), ("z", "h")]);
    let t = mno_terms(&a, &b).unwrap();
    assert_eq!(
        t,
        MnoTerms {
            n: 8,
            sum_max_overlap: 8,
            l_a: 3,
            g: 3
        }
    );
    assert_eq!(t.mno(), 0);
    assert_eq!(mojofm(&a, &b).unwrap(), 100.0);
}

#[test]
fn worked_example_by_hand() {
    // Expert B: B1 = {a,b,c,d}, B2 = {e,f,g}, B3 = {h}.
    // Proposed A: A1 = {a,b,e}, A2 = {c,d}, A3 = {f,g,h}.
    //
    // Maximal overlaps: A1 ∩ B1 = 2 (tag B1), A2 ∩ B1 = 2 (tag B1),
    // A3 ∩ B2 = 2 (tag B2). Σ max = 6, so moves = n - Σ = 8 - 6 = 2.
    // Tag edges A1–B1, A2–B1, A3–B2: a maximum matching has g = 2 (B1 can
    // take only one of A1, A2), so joins = l_A - g = 3 - 2 = 1.
    // mno = 2 + 1 = 3: move e to A3, move h out alone, join A1 and A2.
    //
    // max mno: B's sizes ascending 1, 3, 4: 1 > 0 → g = 1; 3 > 1 → g = 2;
    // 4 > 2 → g = 3. max = n - g = 8 - 3 = 5.
    // MoJoFM = (1 - 3/5) × 100 = 40.
    let b = groups(&[("B1", "abcd"), ("B2", "efg"), ("B3", "h")]);
    let a = groups(&[("A1", "abe"), ("A2", "cd"), ("A3", "fgh")]);
    let t = mno_terms(&a, &b).unwrap();
    assert_eq!(
        t,
        MnoTerms {
            n: 8,
            sum_max_overlap: 6,
            l_a: 3,
            g: 2
        }
    );
    assert_eq!(t.mno(), 3);
    assert_eq!(g_of_expert(&b), 3);
    assert_eq!(max_mno(&b), 5);
    assert!((mojofm(&a, &b).unwrap() - 40.0).abs() < 1e-9);
}

#[test]
fn tied_tags_need_an_augmenting_path() {
    // B1 = {a,b,x}, B2 = {c,d,y}; A1 = {a,b,c,d} overlaps both by 2 (two
    // tags), A2 = {x} tags B1, A3 = {y} tags B2.
    // Σ max = 2 + 1 + 1 = 4, moves = 6 - 4 = 2. Taking A1–B1 first and
    // stopping would leave A2 unmatched; the augmenting path A2–B1–A1–B2
    // still gives g = 2 (three A clusters, two B clusters), joins = 1.
    // mno = 3 (move c and d to A3, join A1 and A2).
    // max: sizes 3, 3: g = 2, max = 6 - 2 = 4. MoJoFM = (1 - 3/4) × 100 = 25.
    let b = groups(&[("B1", "abx"), ("B2", "cdy")]);
    let a = groups(&[("A1", "abcd"), ("A2", "x"), ("A3", "y")]);
    let t = mno_terms(&a, &b).unwrap();
    assert_eq!((t.sum_max_overlap, t.l_a, t.g, t.mno()), (4, 3, 2, 3));
    assert_eq!(max_mno(&b), 4);
    assert!((mojofm(&a, &b).unwrap() - 25.0).abs() < 1e-9);

    // Only A2 tags B1 and A1 ties with B1 and B2: the matching is 2, not 1.
    let b = groups(&[("B1", "abx"), ("B2", "cd")]);
    let a = groups(&[("A1", "abcd"), ("A2", "x")]);
    let t = mno_terms(&a, &b).unwrap();
    assert_eq!((t.sum_max_overlap, t.l_a, t.g, t.mno()), (3, 2, 2, 2));
}

#[test]
fn all_singletons_and_all_in_one() {
    // B: three clusters of two. g(B): 2 > 0 → 1, 2 > 1 → 2, 2 > 2 no: 2.
    // max = 6 - 2 = 4.
    let b = groups(&[("B1", "ab"), ("B2", "cd"), ("B3", "ef")]);
    assert_eq!(max_mno(&b), 4);

    // Singletons: no move, six clusters of which three match: 3 joins.
    // MoJoFM = (1 - 3/4) × 100 = 25.
    let singles = groups(&[
        ("1", "a"),
        ("2", "b"),
        ("3", "c"),
        ("4", "d"),
        ("5", "e"),
        ("6", "f"),
    ]);
    let t = mno_terms(&singles, &b).unwrap();
    assert_eq!((t.sum_max_overlap, t.l_a, t.g, t.mno()), (6, 6, 3, 3));
    assert!((mojofm(&singles, &b).unwrap() - 25.0).abs() < 1e-9);

    // All in one: overlap 2 with each B (three tags), 4 moves, no join:
    // mno = 4 = max, MoJoFM = 0.
    let one = groups(&[("all", "abcdef")]);
    let t = mno_terms(&one, &b).unwrap();
    assert_eq!((t.sum_max_overlap, t.l_a, t.g, t.mno()), (2, 1, 1, 4));
    assert_eq!(mojofm(&one, &b).unwrap(), 0.0);

    // Against an expert that is itself all in one, the singletons are the
    // farthest partition: 5 joins = max (sizes 6: g = 1, max = 5).
    let b_one = groups(&[("all", "abcdef")]);
    assert_eq!(max_mno(&b_one), 5);
    assert_eq!(mno(&singles, &b_one).unwrap(), 5);
    assert_eq!(mojofm(&singles, &b_one).unwrap(), 0.0);
    assert_eq!(mojofm(&b_one, &b_one).unwrap(), 100.0);
}

#[test]
fn one_object_scores_100() {
    let b = groups(&[("B", "a")]);
    assert_eq!(max_mno(&b), 0);
    assert_eq!(mojofm(&groups(&[("A", "a")]), &b).unwrap(), 100.0);
}

#[test]
fn objects_missing_from_one_side_are_an_error() {
    let b = groups(&[("B1", "abc"), ("B2", "d")]);
    let a = groups(&[("A1", "abc")]);
    let err = mojofm(&a, &b).unwrap_err();
    assert!(
        err.contains("0 only in the proposed one, 1 (d) only in the expert one"),
        "{err}"
    );
    let a = groups(&[("A1", "abcde")]);
    let err = mno(&a, &b).unwrap_err();
    assert!(
        err.contains("1 (e) only in the proposed one, 0 only in the expert one"),
        "{err}"
    );
    let dup = [
        ("a".to_string(), "X".to_string()),
        ("a".to_string(), "Y".to_string()),
    ];
    assert_eq!(
        partition(&dup).unwrap_err(),
        "object a is in two clusters: X and Y"
    );
}

#[test]
fn expected_files_parse_and_bad_lines_name_file_and_line() {
    let p = parse_expected(
        "# header\n\nsrc/A.java\torders\r\nsrc/B.java\tkernel\n",
        "x.expected",
    )
    .unwrap();
    assert_eq!(p.len(), 2);
    assert_eq!(p["src/A.java"], "orders");
    assert_eq!(p["src/B.java"], "kernel");
    assert_eq!(
        parse_expected("# h\nsrc/A.java orders\n", "x.expected").unwrap_err(),
        "x.expected:2: expected `path<TAB>service`, got \"src/A.java orders\""
    );
    assert_eq!(
        parse_expected("a\tb\na\tc\n", "x.expected").unwrap_err(),
        "x.expected:2: a is listed twice"
    );
    assert_eq!(
        parse_expected("a\t\n", "x.expected").unwrap_err(),
        "x.expected:1: empty path or service"
    );
}

#[test]
fn report_decompositions_kernel_alone_and_folders() {
    let report = serde_json::json!({
        "units": [
            {"id": "src/orders/OrderService.java", "test": false, "role": "code", "service": "orders"},
            {"id": "src/orders/Order.java", "test": false, "role": "code", "service": "orders"},
            {"id": "src/billing/Invoice.java", "test": false, "role": "code", "service": "orders"},
            {"id": "src/util/Money.java", "test": false, "role": "kernel", "service": null},
            {"id": "src/web/Servlet.java", "test": false, "role": "code", "service": null},
            {"id": "src/orders/OrderTest.java", "test": true, "role": "test", "service": null},
            {"id": "db/0001.py", "test": false, "role": "generated", "service": null}
        ],
        "shared_kernel": ["src/util/Money.java"]
    });
    let ours = decomposition::proposed(&report, "src/");
    assert_eq!(ours.len(), 5);
    assert_eq!(ours["orders/Order.java"], "service:orders");
    assert_eq!(ours["billing/Invoice.java"], "service:orders");
    assert_eq!(ours["util/Money.java"], "kernel");
    assert_eq!(ours["web/Servlet.java"], "alone:web/Servlet.java");
    let folders = decomposition::package_baseline(&report, "src/");
    assert_eq!(folders["billing/Invoice.java"], "folder:billing");
    assert_eq!(folders["orders/Order.java"], "folder:orders");

    // Expected: orders (2), billing (1), kernel (1); the servlet is not
    // listed. decompose: {OrderService, Order, Invoice}, {Money}:
    // Σ max = 2 + 1 = 3, moves 1, l = 2, g = 2, mno = 1; max: sizes
    // 1, 1, 2 → g = 2, max = 2; MoJoFM = 50. Folders are exact: 100.
    let expected = parse_expected(
        "orders/OrderService.java\torders\norders/Order.java\torders\n\
         billing/Invoice.java\tbilling\nutil/Money.java\tkernel\nmissing/X.java\tx\n",
        "t",
    )
    .unwrap();
    let s = decomposition::score(&report, &expected, "src/").unwrap();
    assert_eq!(s.n, 4);
    assert!((s.decompose - 50.0).abs() < 1e-9, "{s:?}");
    assert_eq!(s.baseline, 100.0);
    assert_eq!(s.report_only, vec!["web/Servlet.java".to_string()]);
    assert_eq!(s.expected_only, vec!["missing/X.java".to_string()]);
    assert_eq!(
        (
            s.n_expected_clusters,
            s.n_decompose_clusters,
            s.n_baseline_clusters
        ),
        (3, 2, 3)
    );
}
