"""Public help-centre pages with 10,000 FAQ articles (in en/es/ro): server render time, p50/p95/p99.

Loads the demo organisation, then 10,000 published articles in 20 categories with a text per served language
(30,000 texts of 120 words, through the ORM so the search index triggers run; each article names three of 24
support terms, so "withdrawal memo" matches about 1 article in 60), starts `clearline serve`, and requests each
public page with one keep-alive client (so latency is the server's render time plus a loopback round trip).
Target (issue 6): p95 under 50 ms on every page.

    .venv/bin/python bench/public_pages.py [--articles 10000] [--seconds 10] [--no-postgres]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, clearline, fresh_installation, run_load, start_server

FILL = """
import sys
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from clearline.kb.models import Article, ArticleText, Category
from clearline.kb.services import plain_text, render_markdown

count = int(sys.argv[1])
syllables = ["ka", "lo", "mi", "ter", "sun", "ve", "dra", "pol", "ni", "es", "ru", "tam", "be", "cor"]
vocabulary = sorted({a + b + c for a in syllables for b in syllables for c in syllables})[:3000]
now = timezone.now()
words = ("deposit withdrawal network fee wallet address memo tag confirmation staking reward identity "
         "verification account security password authenticator limit transfer bank card tax report").split()
categories = [Category.objects.create(key=f"bench-{n}", names={"en": f"Topic group {n}", "es": f"Grupo {n}",
              "ro": f"Grupul {n}"}, position=100 + n) for n in range(20)]
for start in range(0, count, 1000):
    with transaction.atomic():
        articles = Article.objects.bulk_create(
            Article(slug=f"bench-article-{i}", category=categories[i % 20], position=i, topics=[])
            for i in range(start, min(start + 1000, count))
        )
        texts = []
        for article in articles:
            n = article.position
            # prose of a 3,000-word vocabulary with three support terms per article, so a two-word query
            # matches a few hundred texts, as on a real FAQ (not every article)
            prose = [vocabulary[(n * 131 + k * 17) % len(vocabulary)] for k in range(120)]
            terms = [words[(n * 7 + k * 5) % len(words)] for k in range(3)]
            body = " ".join(prose[:40] + terms[:1] + prose[40:80] + terms[1:2] + prose[80:] + terms[2:])
            markdown = f"## Answer {n}\\n\\n{body}.\\n\\n- step one\\n- step two for {words[n % len(words)]}"
            html = render_markdown(markdown)
            for language in ("en", "es", "ro"):
                texts.append(ArticleText(article=article, language=language, title=f"Question {n} about "
                             f"{words[n % len(words)]} ({language})", body_markdown=markdown, body_html=html,
                             search_text=plain_text(html), last_reviewed_at=now, updated_at=now))
        ArticleText.objects.bulk_create(texts)
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
print(ArticleText.objects.count())
"""

PAGES = {
    "home": "/",
    "contact": "/contact/",
    "faq index": "/faq/",
    "faq category (500 articles)": "/faq/c/bench-3/",
    "faq article": "/faq/bench-article-4242/",
    "faq search": "/faq/search/?q=withdrawal+memo",
    "status": "/status/",
    "intake form": "/contact/new/?topic=deposit_not_credited",
    "track": "/track/",
}


def measure(database: str, articles: int, seconds: float) -> None:
    with fresh_installation(database) as inst:
        clearline(inst.env, "demo")
        env = {**inst.env, "DJANGO_SETTINGS_MODULE": "clearline.config.settings"}
        filled = subprocess.run(
            [PYTHON, "-c", FILL, str(articles)], env=env, capture_output=True, text=True, check=False
        )
        if filled.returncode:
            raise RuntimeError(filled.stderr[-2000:])
        start_server(inst, "--no-worker")
        label = "sqlite" if database == "sqlite" else "postgresql"
        for name, path in PAGES.items():
            for language in ("en", "es"):
                load = run_load(
                    inst.base_url,
                    method="GET",
                    path=path,
                    headers={"Accept-Language": language},
                    body_for=lambda c, i: None,
                    clients=1,
                    seconds=seconds,
                    warmup=1.0,
                    expect=200,
                )
                print(
                    json.dumps(
                        {
                            "database": label,
                            "texts": int(filled.stdout),
                            "page": name,
                            "language": language,
                            **load.summary(),
                        }
                    ),
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    measure("sqlite", args.articles, args.seconds)
    if not args.no_postgres:
        measure(args.postgres, args.articles, args.seconds)


if __name__ == "__main__":
    main()
