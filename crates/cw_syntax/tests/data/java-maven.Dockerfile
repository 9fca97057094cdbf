FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /workspace
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests \
 && mkdir -p target/dependency \
 && (cd target/dependency; jar -xf ../*.jar)

FROM eclipse-temurin:21-jre-jammy
ARG DEPENDENCY=/workspace/target/dependency
RUN addgroup --system spring && adduser --system --ingroup spring spring
USER spring:spring
COPY --from=build ${DEPENDENCY}/BOOT-INF/lib /app/lib
COPY --from=build ${DEPENDENCY}/META-INF /app/META-INF
COPY --from=build ${DEPENDENCY}/BOOT-INF/classes /app
ENV JAVA_OPTS="-XX:+UseContainerSupport -XX:MaxRAMPercentage=75.0"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp app:app/lib/* com.example.Application"]
