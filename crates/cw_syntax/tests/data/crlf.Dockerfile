FROM alpine:3.20
# windows line endings
RUN apk add --no-cache curl \
    && echo done
RUN <<EOF
echo heredoc
EOF
CMD ["sh"]
