#!/usr/bin/env python3
"""Link two CSV files of person records with Splink 5 (DuckDB backend).

The reference side of the record-linkage benchmark: the Rust bench writes the
same records it gives Liaison's matcher to two CSV files, runs this script on
them and compares the pairs each one finds.

    splink_link.py LEFT.csv RIGHT.csv OUT.csv [--threshold 0.99] [--seed 42]
                   [--threads N] [--names split|forename-surname] [--verbose]
    splink_link.py ALL.csv - OUT.csv [...]

With `-` for RIGHT, ALL.csv holds every record with one more column, `source`
(a joint venture), and records are linked across sources, never within one
(as Liaison links persons of different joint ventures): `make bench-matching`
times it on the million-subject data set beside Liaison's full re-scan.

Input: CSV with header `id,given_name,family_name,birth_date,nationality,sex`;
ids are unique strings across both files; any field but id may be empty
(= missing). birth_date is ISO `YYYY-MM-DD`; a bare year (`YYYY`) or
`YYYY-MM` is accepted too and then only its year is compared.

Output: OUT.csv with header `left_id,right_id,match_probability`, one row per
pair scored at or above the threshold, sorted by left_id, right_id. On stdout
one JSON line:
    {"splink_version", "records_left", "records_right", "seconds_total",
     "seconds_training", "seconds_predict", "pairs"}
seconds_total is wall time from the start of the script (imports included);
seconds_training covers the prior, u and the two EM runs; seconds_predict
covers predict and writing OUT.csv. Splink's log goes to stderr.

Model (what a careful Splink user would set up for these fields):
  * names normalised (trim, lower case, accents stripped, runs of spaces and
    hyphens folded to one space); empty -> missing;
  * --names split (default): one comparison per name column, each
    null / exact (term-frequency adjusted) / names swapped / Jaro-Winkler
    >= 0.92, 0.88 / names swapped with Jaro-Winkler >= 0.88 crosswise /
    Jaro-Winkler >= 0.70 / else; a swap is scored once, on family_name (on
    given_name its levels are neutral, as a null level is);
    --names forename-surname: Splink's ForenameSurnameComparison with the
    full name as term-frequency column (its swapped-names level included);
  * birth_date: DateOfBirthComparison (exact, Levenshtein <= 1 on the ISO
    string, within 1 month, 1 year, 10 years); if partial dates occur, a
    same-birth-year level is added for them;
  * nationality exact with term-frequency adjustment, sex exact;
  * predictions blocked on the OR of: birth date; family name + birth year;
    given name + birth year; given + family name; swapped names; given name +
    first 3 letters of family name; family name + first letter of given name;
    first 2 letters of family name + birth month + day;
  * training: lambda from deterministic rules (birth date and one name
    Jaro-Winkler >= 0.9, or swapped; or both names and the birth year; recall
    0.7); u by random sampling (5e6 pairs, fixed seed); m by EM on two
    blocking rules (birth date; given + family name).
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402

import duckdb  # noqa: E402
import splink  # noqa: E402
import splink.comparison_level_library as cll  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import ColumnExpression, DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

COLUMNS = ["id", "given_name", "family_name", "birth_date", "nationality", "sex"]
U_MAX_PAIRS = 5e6
LAMBDA_RECALL = 0.7


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("left")
    p.add_argument("right")
    p.add_argument("out")
    p.add_argument("--threshold", type=float, default=0.99,
                   help="keep pairs with match_probability >= this (default 0.99)")
    p.add_argument("--seed", type=int, default=42,
                   help="seed for u sampling (default 42)")
    p.add_argument("--threads", type=int, default=None,
                   help="DuckDB threads (default: DuckDB's, one per core)")
    p.add_argument("--names", choices=["split", "forename-surname"], default="split",
                   help="name model (default split)")
    p.add_argument("--verbose", action="store_true", help="Splink INFO log on stderr")
    return p.parse_args()


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def norm_name(col: str) -> str:
    return (
        f"nullif(trim(regexp_replace(lower(strip_accents(trim({col}))), "
        f"'[\\s\\-]+', ' ', 'g')), '')"
    )


def run(con: duckdb.DuckDBPyConnection, sql: str) -> list:
    # DuckDB 2 refuses new work on a connection whose last execute() result
    # was not fetched, so always fetch (also for DDL).
    return con.execute(sql).fetchall()


def load(con: duckdb.DuckDBPyConnection, path: str, table: str, sources: bool = False) -> int:
    run(con, 
        f"CREATE TABLE {table}_raw AS SELECT * FROM read_csv({sql_str(path)}, "
        "header = true, all_varchar = true, nullstr = '')"
    )
    cols = [r[0] for r in run(con, f"DESCRIBE {table}_raw")]
    missing = [c for c in COLUMNS + (["source"] if sources else []) if c not in cols]
    if missing:
        sys.exit(f"{path}: missing column(s) {', '.join(missing)}")
    run(con,
        f"""
        CREATE TABLE {table} AS
        SELECT
            id,
            {norm_name('given_name')} AS given_name,
            {norm_name('family_name')} AS family_name,
            {norm_name("given_name || ' ' || family_name")} AS full_name,
            try_cast(nullif(trim(birth_date), '') AS DATE) AS birth_date,
            CASE WHEN regexp_matches(trim(birth_date), '^[0-9]{{4}}')
                 THEN CAST(substr(trim(birth_date), 1, 4) AS INTEGER) END AS birth_year,
            nullif(upper(trim(nationality)), '') AS nationality,
            nullif(upper(trim(sex)), '') AS sex
            {", source" if sources else ""}
        FROM {table}_raw
        """
    )
    run(con, f"DROP TABLE {table}_raw")
    dup = run(con,
        f"SELECT count(*) - count(DISTINCT id), count(*) FILTER (WHERE id IS NULL) FROM {table}"
    )[0]
    if dup[0] or dup[1]:
        sys.exit(f"{path}: ids must be present and unique")
    return run(con, f"SELECT count(*) FROM {table}")[0][0]


def name_comparisons(model: str) -> list:
    if model == "forename-surname":
        return [
            cl.ForenameSurnameComparison(
                "given_name", "family_name",
                forename_surname_concat_col_name="full_name",
            )
        ]
    # Names written the other way round (given in family and family in given),
    # exactly or both crosswise Jaro-Winkler >= 0.88 (a swap plus a typo).
    # The family-name comparison carries this evidence; in the given-name
    # comparison the same levels are neutral (null-like, weight 0), or the
    # swap would be counted twice.
    def swap_levels(neutral: bool) -> tuple:
        exact = cll.ColumnsReversedLevel("given_name", "family_name", symmetrical=True)
        fuzzy = cll.CustomLevel(
            "jaro_winkler_similarity(given_name_l, family_name_r) >= 0.88 AND "
            "jaro_winkler_similarity(family_name_l, given_name_r) >= 0.88"
        )
        suffix = " (counted on family_name)" if neutral else ""
        exact.configure(label_for_charts="Names swapped" + suffix, is_null_level=neutral)
        fuzzy.configure(
            label_for_charts="Names swapped, Jaro-Winkler >= 0.88" + suffix,
            is_null_level=neutral,
        )
        return exact, fuzzy

    out = []
    for col in ("given_name", "family_name"):
        swapped, swapped_fuzzy = swap_levels(neutral=col == "given_name")
        out.append(
            cl.CustomComparison(
                output_column_name=col,
                comparison_levels=[
                    cll.NullLevel(col),
                    cll.ExactMatchLevel(col).configure(tf_adjustment_column=col),
                    swapped,
                    cll.JaroWinklerLevel(col, 0.92),
                    cll.JaroWinklerLevel(col, 0.88),
                    swapped_fuzzy,
                    cll.JaroWinklerLevel(col, 0.70),
                    cll.ElseLevel(),
                ],
            )
        )
    return out


def dob_comparison(partial_dates: bool):
    if not partial_dates:
        return cl.DateOfBirthComparison("birth_date", input_is_string=False)
    # The same levels as DateOfBirthComparison, plus "same birth year" for
    # records that carry only a year (their birth_date is NULL).
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_date"),
            cll.LevenshteinLevel(ColumnExpression("birth_date").cast_to_string(), 1),
            cll.AbsoluteDateDifferenceLevel("birth_date", input_is_string=False,
                                            threshold=1, metric="month"),
            cll.AbsoluteDateDifferenceLevel("birth_date", input_is_string=False,
                                            threshold=1, metric="year"),
            cll.ExactMatchLevel("birth_year").configure(
                label_for_charts="Same birth year (partial date)"),
            cll.AbsoluteDateDifferenceLevel("birth_date", input_is_string=False,
                                            threshold=10, metric="year"),
            cll.ElseLevel(),
        ],
    )


def main() -> None:
    args = parse_args()
    con = duckdb.connect(":memory:")
    if args.threads:
        run(con, f"SET threads = {int(args.threads)}")
    single = args.right == "-"
    n_left = load(con, args.left, "input_left", sources=single)
    if single:
        n_right = 0
        everything = "input_left"
    else:
        n_right = load(con, args.right, "input_right")
        everything = "(SELECT * FROM input_left UNION ALL SELECT * FROM input_right)"
    partial = run(con,
        f"SELECT count(*) FROM {everything} "
        "WHERE birth_date IS NULL AND birth_year IS NOT NULL"
    )[0][0] > 0

    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="id",
        **({"source_dataset_column_name": "source"} if single else {}),
        comparisons=[
            *name_comparisons(args.names),
            dob_comparison(partial),
            cl.ExactMatch("nationality").configure(term_frequency_adjustments=True),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("birth_date"),
            block_on("family_name", "birth_year"),
            block_on("given_name", "birth_year"),
            block_on("given_name", "family_name"),
            "l.given_name = r.family_name AND l.family_name = r.given_name",
            block_on("given_name", "substr(family_name, 1, 3)"),
            block_on("family_name", "substr(given_name, 1, 1)"),
            block_on("substr(family_name, 1, 2)", "month(birth_date)", "day(birth_date)"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )

    db_api = DuckDBAPI(connection=con)
    if single:
        inputs = [db_api.register("input_left", dataset_display_name="all")]
    else:
        inputs = [
            db_api.register("input_left", dataset_display_name="left"),
            db_api.register("input_right", dataset_display_name="right"),
        ]
    linker = Linker(
        inputs, settings,
        log_level=logging.INFO if args.verbose else logging.WARNING,
    )

    t_train = time.perf_counter()
    # The prior from rules that hold for most true pairs whatever went wrong in one field: a
    # rule that needs every field equal finds almost none where every copy has a typo or its
    # names swapped, and then no pair reaches a high probability.
    linker.training.estimate_probability_two_random_records_match(
        [
            "l.birth_date = r.birth_date AND "
            "jaro_winkler_similarity(l.family_name, r.family_name) >= 0.9",
            "l.birth_date = r.birth_date AND "
            "jaro_winkler_similarity(l.given_name, r.given_name) >= 0.9",
            "l.birth_date = r.birth_date AND l.given_name = r.family_name",
            "l.given_name = r.given_name AND l.family_name = r.family_name AND "
            "l.birth_year = r.birth_year",
        ],
        recall=LAMBDA_RECALL,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=args.seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "family_name")
    )
    seconds_training = time.perf_counter() - t_train

    t_pred = time.perf_counter()
    pred = linker.inference.predict(
        threshold_match_probability=args.threshold, warning_mode="never"
    )
    # In link_only the "_l" side is not always the left file: orient by source.
    orient = "TRUE" if single else "source_dataset_l = 'left'"
    run(con,
        f"""
        COPY (
            SELECT
                CASE WHEN {orient} THEN id_l ELSE id_r END AS left_id,
                CASE WHEN {orient} THEN id_r ELSE id_l END AS right_id,
                match_probability
            FROM {pred.physical_name}
            ORDER BY left_id, right_id
        ) TO {sql_str(args.out)} (HEADER, DELIMITER ',')
        """
    )
    pairs = run(con, f"SELECT count(*) FROM {pred.physical_name}")[0][0]
    seconds_predict = time.perf_counter() - t_pred

    print(json.dumps({
        "splink_version": splink.__version__,
        "records_left": n_left,
        "records_right": n_right,
        "seconds_total": round(time.perf_counter() - T_START, 3),
        "seconds_training": round(seconds_training, 3),
        "seconds_predict": round(seconds_predict, 3),
        "pairs": pairs,
    }), flush=True)


if __name__ == "__main__":
    main()
