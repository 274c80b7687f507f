# One image per Spring Boot service: SERVICE=inference-service or website-service.
# Packages the jar that `./mvnw package` built and tested; no toolchain inside the image.
#   docker build -f dockerfiles/service.Dockerfile --build-arg SERVICE=inference-service -t inference-service .
# BASE_IMAGE is any Java 17+ runtime; where no registry is reachable, a locally built one
# (see README, "Containers").
ARG BASE_IMAGE=eclipse-temurin:25-jre

FROM ${BASE_IMAGE} AS layers
ARG SERVICE
WORKDIR /build
COPY ${SERVICE}/target/${SERVICE}-*-exec.jar app.jar
# Spring Boot's layers: dependencies change rarely, the application (and the embedded model) often.
# Extracted as a plain jar and its lib/ folder, which starts faster than the nested jar and is what
# class data sharing needs.
RUN java -Djarmode=tools -jar app.jar extract --layers --destination extracted

FROM ${BASE_IMAGE}
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
# Cloud Run sets PORT (8080 by default) and gives the container its memory limit: the heap takes
# 40% of it (820 MB of the inference service's 2 GiB), leaving room for ONNX Runtime, the JVM and
# /tmp, which Cloud Run keeps in memory; fail fast on OutOfMemoryError so the instance is replaced
# rather than limping. The malloc settings that give freed native memory back come from memory.env,
# which run.sh reads too (docs/operations.md#memory-bound).
# TieredStopAtLevel=1 compiles with C1 only: start-up no longer shares the 2 cores with C2, and the
# inference service's HTTP throughput stayed within run-to-run noise (README, "Start-up").
ENV PORT=8080 \
    HOME=/tmp \
    LOG_FORMAT=json \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -Djava.io.tmpdir=/tmp" \
    PATH="/opt/java/openjdk/bin:/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/bin:/usr/bin:/bin"
# ONNX Runtime's native libraries, copied out of its jar once (inference image only): each start
# then loads them from /app instead of unpacking 28 MB into /tmp, which Cloud Run keeps in memory.
# Then a training run starts the application and exits once its context is refreshed; what it
# loaded is recorded so every start maps it instead of loading it again (README, "Start-up": time
# to ready with and without it). Java 25+ records an AOT cache (classes loaded and linked ahead of
# time); older runtimes a class data sharing archive. startup.args holds the flags for the launcher.
# The run's leftovers in /tmp (Tomcat folders, ONNX Runtime's session id) stay out of the image.
RUN touch startup.args \
    && if ls lib/onnxruntime-*.jar > /dev/null 2>&1; then \
      java -cp "app.jar:lib/*" io.cifarserve.classifier.onnx.OnnxRuntimeNatives onnxruntime-native \
        && echo "-Donnxruntime.native.path=/app/onnxruntime-native" >> startup.args; \
    fi \
    && if java -XX:AOTMode=off -version > /dev/null 2>&1; then \
      record="-XX:AOTCacheOutput=app.aot" use="-XX:AOTCache=app.aot"; \
    else \
      record="-XX:ArchiveClassesAtExit=app.jsa" use="-XX:SharedArchiveFile=app.jsa"; \
    fi \
    && java @startup.args "$record" -Dspring.context.exit=onRefresh -jar app.jar > /dev/null \
    && echo "$use" >> startup.args \
    && rm -rf /tmp/* /tmp/.[!.]*
USER 10001:10001
EXPOSE 8080
COPY dockerfiles/memory.env /app/memory.env
# exec: java stays process 1 and gets Cloud Run's SIGTERM.
ENTRYPOINT ["/bin/sh", "-c", "set -a && . /app/memory.env && set +a && exec java @startup.args -jar app.jar \"$@\"", "app"]
