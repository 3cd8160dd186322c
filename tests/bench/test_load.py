"""bench/load.py reads wrk's report: the samples are wrk 4.1.0's own output (Debian's package,
`wrk -t2 -c8 -d1s --latency`), captured against a local server."""

import pytest

from bench.load import parse_wrk

SERVED = """\
Running 1s test @ http://127.0.0.1:18931/index.html
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.21ms    3.29ms  24.06ms   76.46%
    Req/Sec   588.10    213.90     1.07k    66.67%
  Latency Distribution
     50%    3.96ms
     75%    7.45ms
     90%    9.52ms
     99%   15.82ms
  1231 requests in 1.10s, 228.59KB read
Requests/sec:   1118.62
Transfer/sec:    207.72KB
"""

NOT_FOUND = """\
Running 1s test @ http://127.0.0.1:18931/missing
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.58ms    2.65ms  19.16ms   73.38%
    Req/Sec   544.25    352.58     1.12k    70.00%
  Latency Distribution
     50%    3.96ms
     75%    6.23ms
     90%    7.95ms
     99%   12.71ms
  1085 requests in 1.00s, 551.16KB read
  Non-2xx or 3xx responses: 1085
Requests/sec:   1083.42
Transfer/sec:    550.35KB
"""


def test_throughput_latency_and_count_are_read():
    load = parse_wrk(SERVED)
    assert load.requests == 1231
    assert load.per_second == pytest.approx(1118.62)
    assert load.p50_ms == pytest.approx(3.96)
    assert load.p99_ms == pytest.approx(15.82)
    assert load.errors == 0


def test_answers_other_than_2xx_or_3xx_count_as_errors():
    load = parse_wrk(NOT_FOUND)
    assert load.requests == 1085
    assert load.errors == 1085


def test_latency_in_other_units_is_converted_to_milliseconds():
    output = SERVED.replace("50%    3.96ms", "50%  812.00us").replace(
        "99%   15.82ms", "99%    1.20s"
    )
    load = parse_wrk(output)
    assert load.p50_ms == pytest.approx(0.812)
    assert load.p99_ms == pytest.approx(1200)


def test_a_report_without_figures_is_refused():
    with pytest.raises(ValueError, match="wrk's output"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")
