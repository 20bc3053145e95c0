// Generated from Stdlib/*.zkp by the test `embeddedStandardLibraryMatchesStdlib`
// (run `ZKPOLICY_UPDATE_GOLDEN=1 swift test --filter ZKPolicyTests`). Do not edit.

enum EmbeddedStandardLibrary {
    static let modules: [String: String] = [
        "fairness": #"""
        // std.fairness — group fairness metrics as exact ratios of counts.
        //
        // The definitions follow Fairlearn (fairlearn.metrics), so that a bank can
        // cross-check a proven value with Fairlearn on the same data:
        //   - a *rate per group* is computed over the rows of each group;
        //   - a *gap* is the largest minus the smallest per-group value
        //     (MetricFrame.difference(method="between_groups"));
        //   - a *ratio* is the smallest divided by the largest
        //     (MetricFrame.ratio(method="between_groups")).
        // Every value is an exact rational: comparing it with a threshold compares
        // integers by cross-multiplication, never rounded decimals.
        //
        // Empty groups: the functions below fail when proving if a group has no rows
        // (the error names the group). To leave empty groups out instead, build the
        // per-group rates yourself with `skip empty` and pass them to `gap` or
        // `min_max_ratio`, e.g.
        //     fairness.gap(rate(a in applicants by a.group skip empty: approved(a)))

        /// The largest minus the smallest of per-group values, over every group
        /// (Fairlearn `MetricFrame.difference()`). 0 means all groups are equal.
        fn gap(values: ratio per group) -> ratio = max(values) - min(values)

        /// The smallest divided by the largest of per-group values (Fairlearn
        /// `MetricFrame.ratio()`). 1 means all groups are equal. Proving fails when
        /// the largest value is 0 (the ratio is undefined).
        fn min_max_ratio(values: ratio per group) -> ratio = min(values) / max(values)

        /// The selection rate of each group: the share of the group's rows for which
        /// `selected` holds (Fairlearn `selection_rate`, per group).
        fn selection_rates(selected: rows -> bool, rows: table, by group: rows -> enum) -> ratio per group =
            rate(r in rows by group(r): selected(r))

        /// Demographic parity difference (Fairlearn
        /// `demographic_parity_difference`): the largest minus the smallest
        /// selection rate over the groups.
        fn parity_gap(selected: rows -> bool, rows: table, by group: rows -> enum) -> ratio =
            gap(selection_rates(selected, rows, by: group))

        /// Disparate impact ratio (Fairlearn `demographic_parity_ratio`): the
        /// smallest selection rate divided by the largest. The EEOC four-fifths rule
        /// (29 CFR 1607.4(D)) asks for at least 80%.
        fn impact_ratio(selected: rows -> bool, rows: table, by group: rows -> enum) -> ratio =
            min_max_ratio(selection_rates(selected, rows, by: group))

        /// The true positive rate of each group: among rows whose `label` holds,
        /// the share for which `selected` holds.
        fn true_positive_rates(
            selected: rows -> bool,
            rows: table,
            label: rows -> bool,
            by group: rows -> enum
        ) -> ratio per group =
            rate(r in rows where label(r) by group(r): selected(r))

        /// The false positive rate of each group: among rows whose `label` does not
        /// hold, the share for which `selected` holds.
        fn false_positive_rates(
            selected: rows -> bool,
            rows: table,
            label: rows -> bool,
            by group: rows -> enum
        ) -> ratio per group =
            rate(r in rows where not label(r) by group(r): selected(r))

        /// Equal opportunity difference: the gap of the true positive rates
        /// (Fairlearn `MetricFrame(metrics=true_positive_rate).difference()`).
        fn equal_opportunity_gap(
            selected: rows -> bool,
            rows: table,
            label: rows -> bool,
            by group: rows -> enum
        ) -> ratio =
            gap(true_positive_rates(selected, rows, label, by: group))

        /// Equalized odds difference (Fairlearn `equalized_odds_difference`): the
        /// larger of the true positive rate gap and the false positive rate gap.
        fn equalized_odds_gap(
            selected: rows -> bool,
            rows: table,
            label: rows -> bool,
            by group: rows -> enum
        ) -> ratio =
            max(
                gap(true_positive_rates(selected, rows, label, by: group)),
                gap(false_positive_rates(selected, rows, label, by: group))
            )

        """#,
        "integrity": #"""
        // std.integrity — binding the audited assets to published commitments.
        //
        // `commit(x)` is the commitment of a private model (its quantized weights) or
        // table (its rows), computed inside the proof from the same private values
        // the other rules use (DESIGN §8). Comparing it with a digest published
        // beforehand proves that the audit used exactly the registered asset.

        /// The model is the one whose commitment was registered.
        fn model_matches(model_under_audit: model, registered: digest) -> bool =
            commit(model_under_audit) == registered

        /// The table is the one whose commitment was registered.
        fn data_matches(rows: table, registered: digest) -> bool = commit(rows) == registered

        """#,
        "performance": #"""
        // std.performance — classification metrics on a labelled table, as exact
        // ratios of counts (scikit-learn's definitions: `predicted` is the model's
        // positive decision, `label` the true outcome, positive = true).

        /// Accuracy: the share of rows where the prediction equals the label
        /// (sklearn `accuracy_score`).
        fn accuracy(predicted: rows -> bool, rows: table, label: rows -> bool) -> ratio =
            rate(r in rows: predicted(r) == label(r))

        /// Precision: among rows predicted positive, the share that are positive
        /// (sklearn `precision_score`). Proving fails if nothing is predicted positive.
        fn precision(predicted: rows -> bool, rows: table, label: rows -> bool) -> ratio =
            rate(r in rows where predicted(r): label(r))

        /// Recall, or true positive rate: among positive rows, the share predicted
        /// positive (sklearn `recall_score`).
        fn recall(predicted: rows -> bool, rows: table, label: rows -> bool) -> ratio =
            rate(r in rows where label(r): predicted(r))

        /// False positive rate: among negative rows, the share predicted positive.
        fn false_positive_rate(predicted: rows -> bool, rows: table, label: rows -> bool) -> ratio =
            rate(r in rows where not label(r): predicted(r))

        /// False negative rate: among positive rows, the share predicted negative
        /// (1 − recall). For a credit model with `label` = repaid, this is the share
        /// of creditworthy applicants who are refused.
        fn false_negative_rate(predicted: rows -> bool, rows: table, label: rows -> bool) -> ratio =
            rate(r in rows where label(r): not predicted(r))

        /// Selection rate: the share of rows predicted positive.
        fn selection_rate(predicted: rows -> bool, rows: table) -> ratio = rate(r in rows: predicted(r))

        """#,
    ]
}
