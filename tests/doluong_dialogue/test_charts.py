"""Charts drawn on the server: texts escaped, bars in proportion, figures read out."""

from doluong_dialogue import charts


def test_bars_are_in_proportion_and_texts_are_escaped():
    svg = str(
        charts.horizontal_bars(
            [("Giao thông <script>", 20, 5), ("Y tế", 10, 10)],
            whole="tiếp nhận",
            part="đã giải quyết",
            title="Kiến nghị & lĩnh vực",
        )
    )
    assert "<script>" not in svg and "Giao thông &lt;script&gt;" in svg
    assert 'width="360" height="18"' in svg and 'width="180" height="18"' in svg
    assert 'width="90" height="8"' in svg  # 5 of the longest bar's 20
    assert "<desc>Giao thông &lt;script&gt;: 20 tiếp nhận, 5 đã giải quyết; Y tế: 10" in svg
    assert 'aria-label="Kiến nghị &amp; lĩnh vực"' in svg


def test_columns_show_the_share_done_on_time():
    svg = str(
        charts.stacked_columns(
            [("10/26", 4, 1), ("11/26", 0, 0)], whole="hoàn thành", part="chậm", title="Xu hướng"
        )
    )
    assert ">75%</text>" in svg
    assert svg.count("%</text>") == 1  # an empty month has no percentage
