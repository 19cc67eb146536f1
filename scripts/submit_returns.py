#!/usr/bin/env python3
"""Send a quarter's performance return and financial return to the contract governance
service through its API, with an API token from your account page ("Your account", then
"API tokens").

Standard library only: copy this file to any machine with Python 3.10 or later.

    export GOVERNANCE_API_TOKEN=cg_...
    python3 submit_returns.py --url https://contracts.example.gov.uk \\
        --contract NPCC-2024-017 --year 2026 --quarter 1 --results q1.csv \\
        --commentary "A steady quarter." --reason "Q1 figures from our case system" \\
        --budget 125000 --actual-spend 118400.50 --payments-made 110000 \\
        --finance-commentary "Two posts vacant in May."

The results file is CSV with a header row: kpi (the KPI's name as the contract lists it,
or its id), actual, commentary. The financial figures are in pounds. Both returns are
filled in, then both submitted (leave them as drafts with --no-submit; send the
performance return alone with --performance-only). Any problem is printed as the
service words it, by field, and the script exits with status 1; nothing is submitted
unless both returns were filled in. If someone changes a return between the script
reading it and sending the figures, nothing is saved and the script says who changed it:
check the return, then run the script again.
"""

import argparse
import csv
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class ApiError(Exception):
    def __init__(self, status: int, body):
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body


class Api:
    def __init__(self, base_url: str, token: str, timeout: float = 30):
        self.base = base_url.rstrip("/") + "/api/v1/"
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, *, query=None, body=None):
        url = urllib.parse.urljoin(self.base, path)
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                detail = json.loads(raw)
            except ValueError:
                detail = raw.decode(errors="replace")
            raise ApiError(error.code, detail) from None

    def every(self, path: str, query: dict) -> list[dict]:
        """Every row of a paginated list."""
        rows, page = [], 1
        while True:
            answer = self.request("GET", path, query={**query, "page": page, "page_size": 100})
            rows.extend(answer["results"])
            if not answer.get("next"):
                return rows
            page += 1


PERFORMANCE = ("performance-returns/", "performance return")
FINANCIAL = ("financial-returns/", "financial return")


def find_return(api: Api, contract: str, year: int, quarter: int, kind=PERFORMANCE) -> dict:
    path, name = kind
    rows = api.every(path, {"q": contract, "financial_year": year, "quarter": quarter})
    matches = [row for row in rows if row["contract_reference"].lower() == contract.lower()]
    if not matches:
        raise SystemExit(
            f"No {name} for {contract}, {year} quarter {quarter}, that your "
            "token can see. Check the reference and the quarter, or ask the contract "
            "manager to open the quarter."
        )
    return matches[0]


def read_results(path: str, kpis: dict[str, int]) -> list[dict]:
    results = []
    with open(path, newline="", encoding="utf-8-sig") as file:
        for line, row in enumerate(csv.DictReader(file), start=2):
            name = (row.get("kpi") or "").strip()
            kpi = int(name) if name.isdigit() else kpis.get(name.lower())
            if kpi is None:
                raise SystemExit(
                    f"{path}, row {line}: the contract has no KPI called {name!r}. "
                    f"Its KPIs are: {', '.join(sorted(kpis))}."
                )
            results.append(
                {
                    "kpi": kpi,
                    "actual": (row.get("actual") or "").strip(),
                    "commentary": (row.get("commentary") or "").strip(),
                }
            )
    return results


def print_errors(error: ApiError, name: str) -> None:
    print(f"The service refused the {name} ({error.status}):", file=sys.stderr)
    if isinstance(error.body, dict):
        for field, messages in error.body.items():
            if field == "current_record_version":
                continue
            for message in messages if isinstance(messages, list) else [messages]:
                print(f"  {field}: {message}", file=sys.stderr)
    else:
        print(f"  {error.body}", file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="The service's address")
    parser.add_argument("--contract", required=True, help="Contract reference")
    parser.add_argument("--year", type=int, required=True, help="Financial year it starts in")
    parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
    parser.add_argument("--results", required=True, help="CSV: kpi, actual, commentary")
    parser.add_argument("--commentary", default="", help="Overall commentary")
    parser.add_argument("--reason", default="Quarterly return", help="Kept in the history")
    parser.add_argument("--budget", help="Financial return: the quarter's budget, in pounds")
    parser.add_argument(
        "--actual-spend", help="Financial return: what was spent in the quarter, in pounds"
    )
    parser.add_argument(
        "--payments-made",
        help="Financial return: what the commissioner paid you for the quarter, in pounds",
    )
    parser.add_argument(
        "--finance-commentary", default="", help="Financial return: commentary on the figures"
    )
    parser.add_argument(
        "--performance-only",
        action="store_true",
        help="Send the performance return alone (no financial figures)",
    )
    parser.add_argument(
        "--no-submit", action="store_true", help="Fill both in, leave them as drafts"
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("GOVERNANCE_API_TOKEN", ""),
        help="API token (default: the GOVERNANCE_API_TOKEN environment variable)",
    )
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give an API token with --token or GOVERNANCE_API_TOKEN")
    figures = {
        "budget": args.budget,
        "actual_spend": args.actual_spend,
        "payments_made": args.payments_made,
    }
    missing = [name for name, value in figures.items() if value is None]
    if missing and not args.performance_only:
        parser.error(
            "give the financial return's figures ("
            + ", ".join("--" + name.replace("_", "-") for name in missing)
            + "), or send the performance return alone with --performance-only"
        )

    api = Api(args.url, args.token)
    name = PERFORMANCE[1]
    try:
        performance = find_return(api, args.contract, args.year, args.quarter)
        financial = None
        if not args.performance_only:
            financial = find_return(api, args.contract, args.year, args.quarter, FINANCIAL)
        kpis = {
            row["name"].lower(): row["id"]
            for row in api.every("kpis/", {"contract": args.contract})
        }
        results = read_results(args.results, kpis)
        # Read the return as it is now and send back its version: if someone changes it
        # in between, the service refuses the figures (409) rather than overwrite them.
        performance = api.request("GET", f"performance-returns/{performance['id']}/")
        body = {
            "results": results,
            "commentary": args.commentary,
            "change_reason": args.reason,
            "record_version": performance["record_version"],
        }
        performance = api.request(
            "POST", f"performance-returns/{performance['id']}/fill/", body=body
        )
        if financial is not None:
            name = FINANCIAL[1]
            financial = api.request("GET", f"financial-returns/{financial['id']}/")
            body = {
                **figures,
                "commentary": args.finance_commentary,
                "change_reason": args.reason,
                "record_version": financial["record_version"],
            }
            financial = api.request("POST", f"financial-returns/{financial['id']}/fill/", body=body)
        if not args.no_submit:
            name = PERFORMANCE[1]
            performance = api.request(
                "POST",
                f"performance-returns/{performance['id']}/submit/",
                body={"reason": args.reason, "record_version": performance["record_version"]},
            )
            if financial is not None:
                name = FINANCIAL[1]
                financial = api.request(
                    "POST",
                    f"financial-returns/{financial['id']}/submit/",
                    body={"reason": args.reason, "record_version": financial["record_version"]},
                )
    except ApiError as error:
        print_errors(error, name)
        return 1
    done = [(PERFORMANCE[1], performance)]
    if financial is not None:
        done.append((FINANCIAL[1], financial))
    for kind, row in done:
        state = "left as a draft" if args.no_submit else row["status"]
        print(f"{args.contract} {args.year} quarter {args.quarter}: {kind} {state}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
