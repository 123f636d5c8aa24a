//! Small numeric helpers shared by every stage: the rounding that keeps
//! reports stable and the rank normalisation behind the hotspot score. They
//! live here, not in the orchestrator, so that no stage has to import
//! `analyze` (docs/architecture.md, "No import circle").

/// Rounds to six decimals so reports stay readable and stable.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Rank normalisation: (average 1-based rank among ties − 1) / (n − 1), so
/// the smallest value maps to 0 and the largest to 1; a single value is 1.
pub fn rank_normalise(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n == 1 {
        return vec![1.0];
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            out[order[k]] = (avg_rank - 1.0) / (n - 1) as f64;
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_normalisation_averages_ties() {
        assert_eq!(rank_normalise(&[5.0]), vec![1.0]);
        assert_eq!(rank_normalise(&[3.0, 1.0, 2.0]), vec![1.0, 0.0, 0.5]);
        assert_eq!(rank_normalise(&[1.0, 1.0, 4.0]), vec![0.25, 0.25, 1.0]);
    }

    #[test]
    fn rounds_to_six_decimals() {
        assert_eq!(round6(0.123_456_7), 0.123_457);
        assert_eq!(round6(2.0 / 3.0), 0.666_667);
        assert_eq!(round6(-1.000_000_4), -1.0);
    }
}
