"""Pagination shared by the site's and the admin's lists that read a page's rows their own way
(ids first, ranked once, found in one walk)."""


def page_bounds(paginator, number) -> tuple[int, int, int]:
    """`Paginator.page`'s arithmetic, once: the page's number (validated, so an unknown page
    raises as Django's does) and the slice of the list it holds, `[bottom:top]`."""
    number = paginator.validate_number(number)
    bottom = (number - 1) * paginator.per_page
    top = bottom + paginator.per_page
    if top + paginator.orphans >= paginator.count:
        top = paginator.count
    return number, bottom, top
