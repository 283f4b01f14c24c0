"""The public FAQ (DFS-21): articles in categories, one text per language, every edit kept as a revision."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from clearline.core.texts import in_language


class Category(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    names = models.JSONField(help_text='{"en": "Deposits", "es": "Depósitos", "ro": "Depuneri"}')
    position = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.key

    def name(self, language: str) -> str:
        return in_language(self.names, language, default=self.key)


class Article(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    position = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(default=True)
    topics = models.JSONField(
        default=list,
        blank=True,
        help_text="Case topic keys it answers (the complaint-topic coverage report).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class ArticleText(models.Model):
    """One language's current text. ``body_html`` is rendered from Markdown and sanitised on save."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=200)
    body_markdown = models.TextField()
    body_html = models.TextField()
    search_text = models.TextField(help_text="Plain text of the body, for full-text search.")
    revision = models.PositiveIntegerField(default=1)
    last_reviewed_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    helpful_yes = models.PositiveIntegerField(default=0)
    helpful_no = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="one_text_per_language")]
        indexes = [models.Index(fields=["language", "article"], name="kb_text_language_idx")]

    def __str__(self) -> str:
        return f"{self.article.slug} ({self.language})"


class ArticleRevision(models.Model):
    text = models.ForeignKey(ArticleText, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body_markdown = models.TextField()
    note = models.CharField(max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["text", "revision"], name="one_revision_number")]

    def __str__(self) -> str:
        return f"{self.text} r{self.revision}"
