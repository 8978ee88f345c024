"""The decider loop's first-page size: fitted to what recent tasks brought, without letting one
burst make every following small task read a page of events it has already seen."""

from __future__ import annotations

from pyflow._worker._history_cache import MAX_PAGE, PageSizer, read_cost


def _sizer(*counts: int) -> PageSizer:
    sizer = PageSizer()
    for count in counts:
        sizer.saw(count)
    return sizer


def test_before_any_task_the_first_page_is_the_default() -> None:
    assert PageSizer().size() == 100


def test_steady_tasks_get_a_page_a_little_above_what_they_bring() -> None:
    assert _sizer(*[12] * 16).size() == 20  # 12 + at least 8
    assert _sizer(*[400] * 16).size() == 500  # 400 + a quarter


def test_one_burst_among_small_tasks_does_not_size_the_page_for_all_of_them() -> None:
    # The fan-out case: a decision scheduling 99 activities brought ~120 events, then tasks of
    # 8-19. A page above 120 would parse ~150 events for each of them.
    sizer = _sizer(120, *[8, 12, 19, 15, 9, 11, 14, 18, 10, 16, 13, 17, 12, 9, 15])
    size = sizer.size()
    assert size < 40
    # ...and that size is the cheapest of the candidates over the recent tasks.
    recent = [120, 8, 12, 19, 15, 9, 11, 14, 18, 10, 16, 13, 17, 12, 9, 15]
    assert sum(read_cost(size, n) for n in recent) < sum(read_cost(150, n) for n in recent)


def test_mostly_large_tasks_keep_a_page_that_fits_them() -> None:
    assert _sizer(*[300] * 10, 10, 10).size() == 375


def test_read_cost_follows_read_backs_pages() -> None:
    assert read_cost(50, 40) == 50  # fits the first page
    assert read_cost(50, 120) == 50 * 3 + 75 * 2  # two more small pages
    assert read_cost(50, 400) == 50 + MAX_PAGE + 75  # too many: one full history page
    assert read_cost(MAX_PAGE, 2_500) == MAX_PAGE * 3 + 75 * 2


def test_a_cold_read_of_a_long_history_says_nothing_about_tasks() -> None:
    assert _sizer(5_000).size() == 100
