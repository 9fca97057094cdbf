FROM alpine:3.19
LABEL maintainer="ops@example.com"
RUN apk add --no-cache nginx=1.24.0-r15 \
 && mkdir -p /run/nginx \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
COPY nginx.conf /etc/nginx/nginx.conf
COPY --chown=nginx:nginx html/ /usr/share/nginx/html/
EXPOSE 80 443/tcp
STOPSIGNAL SIGQUIT
VOLUME ["/var/cache/nginx"]
CMD ["nginx", "-g", "daemon off;"]
