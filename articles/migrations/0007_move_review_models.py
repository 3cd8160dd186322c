"""The revision, the review log, the board's profiles and the site switches move from
`reviews` to `articles`, so the apps depend one way (references <- articles <- reviews).

State only: the tables keep their names here (`db_table`), and 0008 renames them once
`reviews` has let go of the models (reviews 0005). No row is copied or lost."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0006_default_reader_types_and_plain_disclaimer'),
        ('reviews', '0004_roles_personalization'),
        ('references', '0002_reference_displayed_hash'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalReviewerProfile',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=100)),
                        ('display_name', models.CharField(help_text='As readers see it: “Ana Ruiz”.', max_length=150)),
                        ('credentials', models.CharField(help_text='E.g. “MD, PhD”.', max_length=100)),
                        ('specialty', models.CharField(max_length=150)),
                        ('bio', models.TextField(blank=True, help_text='A few sentences, in the third person.')),
                        ('disclosures', models.TextField(help_text='Conflicts of interest, or “None declared”. Shown on the public profile.')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reviews_historicalreviewerprofile',
                        'verbose_name': 'historical reviewer profile',
                        'verbose_name_plural': 'historical reviewer profiles',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalSiteSettings',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('show_unapproved_articles', models.BooleanField(default=True, help_text='Show never-approved articles that are submitted or under review to readers, with the caution banner. Off: readers only see approved articles.', verbose_name='show articles pending review')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reviews_historicalsitesettings',
                        'verbose_name': 'historical site settings',
                        'verbose_name_plural': 'historical site settings',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ReviewerProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=100, unique=True)),
                        ('display_name', models.CharField(help_text='As readers see it: “Ana Ruiz”.', max_length=150)),
                        ('credentials', models.CharField(help_text='E.g. “MD, PhD”.', max_length=100)),
                        ('specialty', models.CharField(max_length=150)),
                        ('bio', models.TextField(blank=True, help_text='A few sentences, in the third person.')),
                        ('disclosures', models.TextField(help_text='Conflicts of interest, or “None declared”. Shown on the public profile.')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='reviewer_profile', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reviews_reviewerprofile',
                        'ordering': ['display_name'],
                    },
                ),
                migrations.CreateModel(
                    name='ReviewEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('submitted', 'Submitted for review'), ('assigned', 'Reviewer assigned'), ('review_started', 'Review started'), ('approved', 'Approved'), ('changes_requested', 'Changes requested'), ('commented', 'Comment'), ('withdrawn', 'Withdrawn from review by an edit'), ('unpublished', 'Unpublished'), ('restored', 'Older revision restored')], max_length=20)),
                        ('section_position', models.PositiveSmallIntegerField(blank=True, help_text='For a comment on one section of the revision.', null=True)),
                        ('comment', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_events', to=settings.AUTH_USER_MODEL)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_events', to='articles.article')),
                        ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='review_assignments', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reviews_reviewevent',
                        'ordering': ['article', 'created_at', 'pk'],
                    },
                ),
                migrations.AlterField(
                    model_name='article',
                    name='approval',
                    field=models.ForeignKey(blank=True, editable=False, help_text='The approval readers see: its revision, reviewer and date.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='articles.reviewevent'),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='approval',
                    field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The approval readers see: its revision, reviewer and date.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.reviewevent'),
                ),
                migrations.CreateModel(
                    name='Revision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField()),
                        ('content', models.JSONField()),
                        ('content_hash', models.CharField(editable=False, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='articles.article')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reviews_revision',
                        'ordering': ['article', '-number'],
                        'get_latest_by': 'number',
                    },
                ),
                migrations.AddField(
                    model_name='reviewevent',
                    name='revision',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='review_events', to='articles.revision'),
                ),
                migrations.CreateModel(
                    name='HistoricalReviewEvent',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('action', models.CharField(choices=[('submitted', 'Submitted for review'), ('assigned', 'Reviewer assigned'), ('review_started', 'Review started'), ('approved', 'Approved'), ('changes_requested', 'Changes requested'), ('commented', 'Comment'), ('withdrawn', 'Withdrawn from review by an edit'), ('unpublished', 'Unpublished'), ('restored', 'Older revision restored')], max_length=20)),
                        ('section_position', models.PositiveSmallIntegerField(blank=True, help_text='For a comment on one section of the revision.', null=True)),
                        ('comment', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('article', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.article')),
                        ('assignee', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('revision', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.revision')),
                    ],
                    options={
                        'db_table': 'reviews_historicalreviewevent',
                        'verbose_name': 'historical review event',
                        'verbose_name_plural': 'historical review events',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name='article',
                    name='submitted_revision',
                    field=models.ForeignKey(blank=True, editable=False, help_text='The frozen content submitted for review.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='articles.revision'),
                ),
                migrations.AlterField(
                    model_name='historicalarticle',
                    name='submitted_revision',
                    field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The frozen content submitted for review.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.revision'),
                ),
                migrations.CreateModel(
                    name='SiteSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('show_unapproved_articles', models.BooleanField(default=True, help_text='Show never-approved articles that are submitted or under review to readers, with the caution banner. Off: readers only see approved articles.', verbose_name='show articles pending review')),
                    ],
                    options={
                        'db_table': 'reviews_sitesettings',
                        'verbose_name': 'site settings',
                        'verbose_name_plural': 'site settings',
                        'constraints': [models.CheckConstraint(condition=models.Q(('pk', 1)), name='site_settings_single')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='revision',
                    constraint=models.UniqueConstraint(fields=('article', 'number'), name='revision_number_unique'),
                ),
                migrations.AddConstraint(
                    model_name='reviewevent',
                    constraint=models.CheckConstraint(condition=models.Q(('action__in', ['submitted', 'assigned', 'review_started', 'approved', 'changes_requested', 'commented', 'withdrawn', 'unpublished', 'restored'])), name='review_event_action_valid'),
                ),
                migrations.AddConstraint(
                    model_name='reviewevent',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('action__in', ['changes_requested', 'commented', 'unpublished']), _negated=True), models.Q(('comment', ''), _negated=True), _connector='OR'), name='review_event_comment_required'),
                ),
                migrations.AddConstraint(
                    model_name='reviewevent',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('action', 'assigned'), _negated=True), ('assignee__isnull', False), _connector='OR'), name='review_event_assignment_has_assignee'),
                ),
                migrations.AddConstraint(
                    model_name='reviewevent',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('action', 'approved'), _negated=True), ('revision__isnull', False), _connector='OR'), name='review_event_approval_has_revision'),
                ),
            ],
        ),
    ]
