# Writes CSV files as spreadsheets and scripts write them (delimiters, quoting, BOM, CRLF, no
# header) and prints, as JSON, how Python's csv module reads each: csv.Sniffer's delimiter and
# has_header on the first 20 lines, and the rows csv.reader then gives.
# Usage: csv_dialects.py DIR
import csv, io, json, random, sys

d = sys.argv[1]
rng = random.Random(11)


def numbers(k):
    return [f"{rng.uniform(-5, 5):.3f}" for _ in range(k)]


files = {}
# 30 rows of 4 numbers and a label, no header (the case 5)
files["no_header.csv"] = "".join(",".join(numbers(4) + [str(i % 3)]) + "\n" for i in range(30))
# a spreadsheet in a decimal-comma locale writes ';' (decimals stay '.' here, as NN Studio reads them)
files["semicolon.csv"] = "width;height;depth;kind\n" + "".join(";".join(numbers(3) + [str(i % 2)]) + "\n" for i in range(12))
files["tab.csv"] = "a\tb\tlabel\n" + "".join("\t".join(numbers(2) + [str(i % 4)]) + "\n" for i in range(10))
files["pipe.csv"] = "x|y|z|label\n" + "".join("|".join(numbers(3) + [str(i % 2)]) + "\n" for i in range(10))
# quoted fields with the delimiter inside, string labels
species = ["setosa, wild", "versicolor", "virginica \"v\""]
files["quoted.csv"] = '"sepal length","sepal width","species"\n' + "".join(
    f'{a},{b},"{species[i % 3].replace(chr(34), chr(34) * 2)}"\n' for i, (a, b) in enumerate(numbers(2) for _ in range(9)))
# Excel's "CSV UTF-8": a BOM and CRLF line ends
files["bom_crlf.csv"] = "\ufefff1,f2,f3,target\r\n" + "".join(",".join(numbers(3) + [str(i % 3)]) + "\r\n" for i in range(15))
# no header, string labels, ';'
files["no_header_strings.csv"] = "".join(";".join(numbers(2) + [["cat", "dog", "bird"][i % 3]]) + "\n" for i in range(20))

out = {}
for name, text in files.items():
    with open(d + "/" + name, "w", newline="", encoding="utf-8") as f:
        f.write(text)
    with open(d + "/" + name, newline="", encoding="utf-8-sig") as f:
        content = f.read()
    lines = [l for l in content.splitlines() if l.strip()]
    sample = "\n".join(lines[:20]) + "\n"
    dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    has_header = csv.Sniffer().has_header(sample)
    rows = [r for r in csv.reader(io.StringIO(content), delimiter=dialect.delimiter) if any(c.strip() for c in r)]
    out[name] = {"delimiter": dialect.delimiter, "has_header": has_header, "rows": rows}
print(json.dumps(out))
