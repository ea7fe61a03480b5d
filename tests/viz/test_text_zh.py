"""Tables line up with Chinese names: issue 12's example, checked column by column on screen."""

from engine import Value
from viz import steps_table
from words import width


def _issue_example() -> Value:
    # gategrad steps "sigmoid(权重*输入 + 偏置)" --set 权重=2 输入=-1 偏置=0.5
    w, x, b = Value(2.0, label="权重"), Value(-1.0, label="输入"), Value(0.5, label="偏置")
    f = (w * x + b).sigmoid()
    f.label = "f"
    return f


def test_every_row_puts_the_input_name_and_its_local_gradient_in_the_same_screen_columns():
    table = steps_table(_issue_example(), lang="zh").split("\n\n")[0].splitlines()
    rows = table[2:]  # below the header and its rule
    inputs = ["s1", "s0", "偏置", "权重", "输入"]  # backward order: sigmoid, add, mul
    locals_ = ["0.15", "1.00", "1.00", "-1.00", "2.00"]
    assert len(rows) == len(inputs)
    starts, ends = set(), set()
    for row, name, local in zip(rows, inputs, locals_):
        at = row.index(f"  {name}  ") + 2
        starts.add(width(row[:at]))  # the screen column where the input's name starts
        after = row.index(f"  {local}", at + len(name)) + 2 + len(local)
        ends.add(width(row[:after]))  # the screen column where its local gradient ends
    assert len(starts) == 1 and len(ends) == 1, (starts, ends)
    # the rule under the header is exactly as wide on screen as the header
    assert table[1] == "-" * width(table[0])


def test_the_english_table_of_the_same_graph_lines_up_too():
    table = steps_table(_issue_example(), lang="en").split("\n\n")[0].splitlines()
    header = table[0]
    col = width(header[:header.index("input")])
    for row, name in zip(table[2:], ["s1", "s0", "偏置", "权重", "输入"]):
        assert width(row[:row.index(f"  {name}  ") + 2]) == col
