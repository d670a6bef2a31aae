#!/usr/bin/python3
"""python-stdnum's verdicts on INSZ and KBO candidates, for the differential
test (tests/stdnum_differential_test.cc).

    stdnum_verdicts.py CANDIDATES

CANDIDATES holds one candidate a line: "insz TEXT" or "kbo TEXT". The output
starts with two lines,

    stdnum VERSION
    year YEAR          the current year stdnum.be.nn compares births with

then one line per candidate, in order:

    insz: NN BIS       NN is 1 when stdnum.be.nn accepts the text, else 0;
                       BIS likewise for stdnum.be.bis, or - when this
                       version of python-stdnum has no stdnum.be.bis
    kbo:  VAT          1 when stdnum.be.vat accepts the text, else 0

Exit status 3 when python-stdnum cannot be imported (Debian package
python3-stdnum), 2 on a malformed candidate file, 4 when the year changed
while it ran.
"""

import datetime
import sys

try:
    import stdnum
    from stdnum.be import nn, vat
except ImportError as error:
    print("python-stdnum is missing (%s); install the Debian package "
          "python3-stdnum (tools/setup-deps.sh)" % error, file=sys.stderr)
    sys.exit(3)

try:
    from stdnum.be import bis
except ImportError:  # python-stdnum before 1.19
    bis = None


def verdict(module, text):
    return "1" if module.is_valid(text) else "0"


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    # The year stdnum.be.nn reads (local time, as it does).
    year = datetime.date.today().year
    out = ["stdnum %s" % stdnum.__version__, "year %d" % year]
    with open(sys.argv[1], encoding="ascii") as candidates:
        for number, line in enumerate(candidates, 1):
            kind, _, text = line.rstrip("\n").partition(" ")
            if kind == "insz":
                out.append("%s %s" % (verdict(nn, text),
                                      "-" if bis is None else
                                      verdict(bis, text)))
            elif kind == "kbo":
                out.append(verdict(vat, text))
            else:
                print("line %d: expected insz or kbo, found %r" %
                      (number, kind), file=sys.stderr)
                return 2
    if datetime.date.today().year != year:
        print("the year changed while stdnum was judging; run again",
              file=sys.stderr)
        return 4
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
