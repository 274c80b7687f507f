# The training job: `docker run IMAGE train --download --data-dir /tmp/data --run-dir /runs/r1 ...`.
# Packages the jar that `./mvnw package` built (PyTorch CPU natives inside; DJL uses a GPU build
# by itself on a CUDA machine).
ARG BASE_IMAGE=eclipse-temurin:25-jre
FROM ${BASE_IMAGE}
WORKDIR /app
COPY training-job/target/training-job-*.jar training-job.jar
# The commit the image is built from, which tracked runs record (the image has no git).
ARG GIT_COMMIT=
# DJL unpacks the native PyTorch libraries (about 450 MB) into its cache on first use.
ENV HOME=/tmp \
    GIT_COMMIT="${GIT_COMMIT}" \
    DJL_CACHE_DIR=/tmp/djl \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true" \
    PATH="/opt/java/openjdk/bin:/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/bin:/usr/bin:/bin"
USER 10001:10001
ENTRYPOINT ["java", "-jar", "/app/training-job.jar"]
CMD ["--help"]
