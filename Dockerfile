# The production image: gunicorn serving siteconf.wsgi (production settings by default).
FROM python:3.11-slim-bookworm

# Every process of the image (web, worker, scheduler, release) runs on production settings:
# manage.py alone would default to the developer's.
ENV DJANGO_SETTINGS_MODULE=siteconf.settings.production \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PORT=8000

RUN useradd --create-home --uid 1000 shuangyong
WORKDIR /app

COPY requirements.txt pyproject.toml ./
COPY site/ site/
RUN pip install --upgrade pip && pip install -r requirements.txt

COPY --chown=shuangyong:shuangyong . .
# The Procfile's `build` step. It needs settings, not secrets: a throwaway key is enough here.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput

# Named volumes take their owner from the image folder on first mount.
RUN mkdir -p /app/private-media /app/media && chown shuangyong:shuangyong /app/private-media /app/media
USER shuangyong
EXPOSE 8000
# The Procfile's `web` line.
CMD ["sh", "-c", "gunicorn siteconf.wsgi --bind 0.0.0.0:${PORT} --workers ${GUNICORN_WORKERS:-3} --timeout 60"]
