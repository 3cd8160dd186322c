"""The editorial roles: Django groups with explicit permissions, created by a migration.

Deny by default: a permission not listed here belongs to nobody but superusers.
"""

EDITORS = "Editors"
MEDICAL_ADVISORY_BOARD = "Medical Advisory Board"
CHIEF_EDITORS = "Chief editors"
ACCOUNT_ADMINISTRATORS = "Account administrators"

# Separation of duties. Whoever may create accounts, grant roles or set passwords could make
# themselves a reviewer, so nobody holds a permission from both sets: the account admin
# refuses such a combination, and the workflow refuses review actions to anyone who
# administers accounts (superusers included).
ACCOUNT_ADMINISTRATION = frozenset(
    {
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
        "auth.add_permission",
        "auth.change_permission",
        "auth.delete_permission",
    }
)
REVIEWING = frozenset({"articles.review_article", "articles.approve_glossaryterm"})
# Roles whose members must confirm a second factor at sign-in when REQUIRE_TWO_FACTOR is on
# (superusers too): the board signs approvals, chiefs publish, account administrators hold
# the keys. Someone gaining one of them is announced to chief editors and account admins.
PRIVILEGED = (MEDICAL_ADVISORY_BOARD, CHIEF_EDITORS, ACCOUNT_ADMINISTRATORS)


def _crud(app: str, model: str, *actions: str) -> list[str]:
    return [f"{app}.{action}_{model}" for action in actions]


_EDITOR = [
    *_crud("articles", "article", "add", "change", "view"),
    *_crud("articles", "section", "add", "change", "delete", "view"),
    *_crud("articles", "question", "add", "change", "view"),
    *_crud("articles", "topic", "add", "change", "view"),
    "articles.view_specialty",
    *_crud("articles", "variant", "add", "change", "delete", "view"),
    *_crud("articles", "glossaryterm", "add", "change", "view"),
    "articles.view_readertype",
    *_crud("references", "reference", "add", "change", "view"),
    "articles.submit_article",
    "articles.view_revision",
    "articles.view_reviewevent",
]

PERMISSIONS = {
    EDITORS: _EDITOR,
    MEDICAL_ADVISORY_BOARD: [
        "articles.view_article",
        "articles.view_section",
        "articles.view_question",
        "articles.view_topic",
        "articles.view_specialty",
        "articles.view_variant",
        "articles.view_glossaryterm",
        "articles.view_readertype",
        "references.view_reference",
        "articles.review_article",
        "articles.approve_glossaryterm",
        "articles.view_revision",
        "articles.view_reviewevent",
        "articles.view_reviewerprofile",
    ],
    CHIEF_EDITORS: [
        *_EDITOR,
        "articles.assign_reviewer",
        "articles.unpublish_article",
        "articles.delete_question",
        "articles.delete_topic",
        *_crud("articles", "specialty", "add", "change", "delete"),
        "articles.require_specialty_match",
        "references.delete_reference",
        *_crud("articles", "page", "add", "change", "view"),
        *_crud("articles", "readertype", "add", "change"),
        "articles.delete_glossaryterm",
        *_crud("articles", "reviewerprofile", "add", "change", "view"),
        *_crud("articles", "sitesettings", "change", "view"),
        # Chief editors see accounts, roles and their history, and undelivered mail; they
        # don't administer accounts (separation of duties).
        "auth.view_user",
        "auth.view_group",
        "accounts.view_accountevent",
        "outbox.view_message",
        "outbox.retry_message",
    ],
    ACCOUNT_ADMINISTRATORS: [
        *_crud("auth", "user", "add", "change", "view"),
        "auth.view_group",
        "accounts.view_accountevent",
        "accounts.reset_two_factor",
    ],
}
