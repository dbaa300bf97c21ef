#!/usr/bin/env bash
# Starts the local servers the tests use when they are down (PostgreSQL, MariaDB, Redis, RabbitMQ,
# Mosquitto, NATS), with the machine's own commands, and waits until each answers.
set -uo pipefail
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 60); do up "$1" && return 0; sleep 1; done; echo "warning: port $1 still closed" >&2; }
start() { # port, command...
  local port=$1; shift
  up "$port" && return 0
  echo "starting: $*"
  "$@" >/dev/null 2>&1 || echo "warning: could not start ($*)" >&2
  wait_port "$port"
}
start 5432 bash -c 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'
start 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
start 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
start 5672 rabbitmq-server -detached
start 1883 mosquitto -d -c /etc/mosquitto/mosquitto.conf
start 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
exit 0
