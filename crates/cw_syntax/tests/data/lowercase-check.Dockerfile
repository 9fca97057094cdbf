# check=skip=FromAsCasing,JSONArgsRecommended;error=true
from alpine:3.20 as Builder
run apk add --no-cache build-base
copy . /src
workdir /src
run make

from alpine:3.20
copy --from=builder /src/out /usr/bin/app
user 65534
cmd /usr/bin/app --serve
