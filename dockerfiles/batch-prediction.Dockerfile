# Batch prediction, a Cloud Run job (cloudbuild/batch-predict.yaml):
#   docker run IMAGE predict-dir /input --model /models/model.onnx --out /output
# ONNX Runtime only: no DJL, no PyTorch. Packages the jar that `./mvnw package` built and tested.
#   docker build -f dockerfiles/batch-prediction.Dockerfile -t batch-prediction .
ARG BASE_IMAGE=eclipse-temurin:25-jre
# A Cloud Run job gets its memory limit: the heap takes 60% of it, leaving room for ONNX Runtime's
# arenas and the pictures being decoded; fail fast on OutOfMemoryError so the task is retried. The
# AOT cache is recorded with the same options it runs with.
ARG JAVA_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"

# The plain jar and its lib/ folder as Maven packaged them, ONNX Runtime's natives copied out once,
# and the AOT cache recorded by a prediction run over a few pictures with the shipped int8 model.
# The run happens here so that the model and pictures it needs stay out of the final image; the
# files keep their paths and times.
FROM ${BASE_IMAGE} AS build
ARG JAVA_OPTIONS
WORKDIR /app
COPY batch-prediction/target/lib/ /app/lib/
COPY batch-prediction/target/batch-prediction-*.jar /app/app.jar
COPY models/cifar10-resnet18-int8.onnx /build/warm-up/model.onnx
COPY models/curves.png models/reliability.png models/confusion-matrix.png /build/warm-up/pictures/
ENV HOME=/tmp \
    JAVA_TOOL_OPTIONS="${JAVA_OPTIONS}" \
    PATH="/opt/java/openjdk/bin:/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/bin:/usr/bin:/bin"
RUN java -cp "app.jar:lib/*" io.cifarserve.classifier.onnx.OnnxRuntimeNatives onnxruntime-native \
    && echo "-Donnxruntime.native.path=/app/onnxruntime-native" > startup.args \
    && if java -XX:AOTMode=off -version > /dev/null 2>&1; then \
      record="-XX:AOTCacheOutput=app.aot" use="-XX:AOTCache=app.aot"; \
    else \
      record="-XX:ArchiveClassesAtExit=app.jsa" use="-XX:SharedArchiveFile=app.jsa"; \
    fi \
    && java @startup.args "$record" -jar app.jar predict-dir /build/warm-up/pictures \
      --model /build/warm-up/model.onnx --out /build/warm-up/out > /dev/null \
    && echo "$use" >> startup.args \
    && rm -rf /tmp/* /tmp/.[!.]*

FROM ${BASE_IMAGE}
ARG JAVA_OPTIONS
# The commit the image is built from, which tracked runs record (the image has no git).
ARG GIT_COMMIT=
COPY --from=build /app /app
WORKDIR /app
ENV HOME=/tmp \
    GIT_COMMIT="${GIT_COMMIT}" \
    JAVA_TOOL_OPTIONS="${JAVA_OPTIONS}" \
    PATH="/opt/java/openjdk/bin:/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/bin:/usr/bin:/bin"
USER 10001:10001
ENTRYPOINT ["java", "@startup.args", "-jar", "app.jar"]
CMD ["--help"]
