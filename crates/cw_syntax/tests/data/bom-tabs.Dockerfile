# syntax=docker/dockerfile:1
FROM	alpine:3.20
RUN	echo "tab separated"	&& \
	echo ünïcödé
ENV	KEY	value with	tabs
