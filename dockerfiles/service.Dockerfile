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
# rather than limping. The malloc settings give freed native memory back (README, "Limits").
ENV PORT=8080 \
    HOME=/tmp \
    LOG_FORMAT=json \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    MALLOC_TRIM_THRESHOLD_=262144 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    PATH="/opt/java/openjdk/bin:/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/bin:/usr/bin:/bin"
# Class data sharing: a training run that starts the application and exits once its context is
# refreshed records the classes it loaded; every start then maps them instead of loading them again
# (README, "Containers": time to ready with and without it).
RUN java -XX:ArchiveClassesAtExit=app.jsa -Dspring.context.exit=onRefresh -jar app.jar > /dev/null
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-XX:SharedArchiveFile=app.jsa", "-jar", "app.jar"]
