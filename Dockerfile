# One image for every role: the command picks it (local, master, chunkserver, gateway).
#   docker build -t granary .
#   docker run --rm -p 8080:8080 -v granary-data:/data granary   # the whole cluster in one container
#   docker compose up --scale chunkserver=5              # one container per role, see docker-compose.yml
# The jar is built by Maven in the first stage; with --build-arg GRANARY_JAR_FROM=context it is taken
# from launcher/target/granary.jar instead (built on the host: CI, or a machine whose containers
# cannot reach Maven Central).
ARG GRANARY_JAR_FROM=build

# ---- build: the Maven reactor, tests skipped (CI runs them) ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY proto/pom.xml proto/
COPY common/pom.xml common/
COPY master/pom.xml master/
COPY chunkserver/pom.xml chunkserver/
COPY client/pom.xml client/
COPY gateway/pom.xml gateway/
COPY bench/pom.xml bench/
COPY launcher/pom.xml launcher/
COPY cluster-tests/pom.xml cluster-tests/
COPY proto/src proto/src
COPY common/src common/src
COPY master/src master/src
COPY chunkserver/src chunkserver/src
COPY client/src client/src
COPY gateway/src gateway/src
COPY bench/src bench/src
COPY launcher/src launcher/src
COPY cluster-tests/src cluster-tests/src
# The cache mount keeps ~/.m2 between builds without putting it in a layer.
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests -pl launcher -am package \
    && cp launcher/target/granary.jar /granary.jar

# ---- context: the jar the host built ----
FROM scratch AS context
COPY launcher/target/granary.jar /granary.jar

FROM ${GRANARY_JAR_FROM} AS jar

# ---- runtime: a JRE and the one jar, run as a user without privileges ----
FROM eclipse-temurin:17-jre AS runtime
RUN groupadd --system --gid 10001 granary \
    && useradd --system --uid 10001 --gid granary --home-dir /app --shell /usr/sbin/nologin granary \
    && mkdir -p /app /data \
    && chown granary:granary /data
COPY --from=jar --chown=root:root /granary.jar /app/granary.jar
# Chunks (chunkserver), or Redis' AOF and chunks (local), live here. No VOLUME: the master and the
# gateway keep nothing here; whoever runs a role that does mounts a named volume (docker-compose.yml).
ENV GRANARY_DATA=/data
WORKDIR /data
USER granary:granary
# 8080 gateway HTTP, 7070 master gRPC, 7080 chunkserver gRPC, 9100 metrics (master, chunkserver).
EXPOSE 8080 7070 7080 9100
# The JVM sizes its heap from the container's memory limit; the JDK's per-thread cache of direct
# copy buffers is capped as in local mode (LocalJvm).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Djdk.nio.maxCachedBufferSize=262144", "-jar", "/app/granary.jar"]
CMD ["local"]
