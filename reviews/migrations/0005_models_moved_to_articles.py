"""`reviews` lets go of the models that moved to `articles` (articles 0007): state only,
the tables stay. Their content types and permissions move with them, so the groups keep
their rights and history keeps pointing at the right model."""

from django.db import migrations

MOVED = [
    "revision",
    "reviewevent",
    "historicalreviewevent",
    "reviewerprofile",
    "historicalreviewerprofile",
    "sitesettings",
    "historicalsitesettings",
]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED:
        old = ContentType.objects.filter(app_label="reviews", model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label="articles", model=model).first()
        if new is None:
            old.app_label = "articles"
            old.save(update_fields=["app_label"])
            continue
        # Both exist (permissions were created for the new place first): keep the new one,
        # giving its permissions the groups and users of the old ones.
        for permission in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
                continue
            for group in permission.group_set.all():
                group.permissions.add(twin)
            for user in permission.user_set.all():
                user.user_permissions.add(twin)
            permission.delete()
        old.delete()


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="articles", model__in=MOVED).update(app_label="reviews")


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0004_roles_personalization"),
        ("articles", "0007_move_review_models"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalreviewerprofile',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalreviewerprofile',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='historicalreviewevent',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='historicalreviewevent',
                    name='article',
                ),
                migrations.RemoveField(
                    model_name='historicalreviewevent',
                    name='assignee',
                ),
                migrations.RemoveField(
                    model_name='historicalreviewevent',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalreviewevent',
                    name='revision',
                ),
                migrations.RemoveField(
                    model_name='historicalsitesettings',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='reviewerprofile',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='reviewevent',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='reviewevent',
                    name='article',
                ),
                migrations.RemoveField(
                    model_name='reviewevent',
                    name='assignee',
                ),
                migrations.RemoveField(
                    model_name='reviewevent',
                    name='revision',
                ),
                migrations.RemoveField(
                    model_name='revision',
                    name='article',
                ),
                migrations.RemoveField(
                    model_name='revision',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='SiteSettings',
                ),
                migrations.DeleteModel(
                    name='HistoricalReviewerProfile',
                ),
                migrations.DeleteModel(
                    name='HistoricalReviewEvent',
                ),
                migrations.DeleteModel(
                    name='HistoricalSiteSettings',
                ),
                migrations.DeleteModel(
                    name='ReviewerProfile',
                ),
                migrations.DeleteModel(
                    name='ReviewEvent',
                ),
                migrations.DeleteModel(
                    name='Revision',
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
