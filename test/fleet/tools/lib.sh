# Shared by the fake Pi tools (sourced as NODE/bin/.fake-pi-lib.sh, with B set
# to NODE/bin). One copy serves every node (hard links): all per-node paths are
# derived from B. State files the harness has not written fall back to defaults.
BIN=$B
STATE=${B%/*}/state

# JSON string of $1 in REPLY; escapes what JSON forbids raw (control characters).
json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  if [[ $s == *[$'\x01'-$'\x1f']* ]]; then
    local out='' c i
    for ((i = 0; i < ${#s}; i++)); do
      c=${s:i:1}
      if [[ $c == [$'\x01'-$'\x1f'] ]]; then printf -v c '\\u%04x' "'$c"; fi
      out+=$c
    done
    s=$out
  fi
  REPLY="\"$s\""
}

# Append argv (as a JSON array) to the node's command log, which the harness reads.
record() {
  local out='[' sep='' a
  for a in "$@"; do
    json_str "$a"
    out+="$sep$REPLY"
    sep=','
  done
  printf '%s]\n' "$out" >>"$STATE/commands.jsonl"
}

# First line of a state file in REPLY ('' when missing).
state() {
  REPLY=''
  [[ -r $STATE/$1 ]] && IFS= read -r REPLY <"$STATE/$1"
  return 0
}

# Replace a state file atomically: readers never see it half-written.
put_state() {
  local tmp="$STATE/.$1.$$"
  printf '%s\n' "$2" >"$tmp" && mv -f "$tmp" "$STATE/$1"
}

# Path of a data file: the node's own copy once written, else the fleet default.
data_file() {
  if [[ -e $STATE/$1 ]]; then REPLY=$STATE/$1; else REPLY=$BIN/.$1; fi
}

# The name the node answers to: set by `hostname NAME`, else by hostnamectl, else the boot name.
node_hostname() {
  state transient_hostname
  [[ -n $REPLY ]] || state hostname
  [[ -n $REPLY ]] || REPLY=$HOSTNAME
}

# BOOT_ID and BOOT_US (boot time, µs since the epoch) from the last line of state/boots.
boot_info() {
  local id us
  BOOT_ID='' BOOT_US=0
  [[ -r $STATE/boots ]] || return 0
  while read -r id us; do BOOT_ID=$id BOOT_US=$us; done <"$STATE/boots"
}

# "Root" on a fake node means "running under the fake sudo": there is no real root.
is_root() { [[ ${BRAMBLE_FAKE_ROOT:-} == 1 ]]; }

# Ask the harness to take the node down: "reboot|poweroff|cancel DELAY_MS".
power_request() {
  put_state power "$1 ${2:-0}"
}

# Append one journal entry (the harness's format: one JSON object per line).
journal_append() { # identifier priority message [unit]
  local now boot btime host ident msg
  now=${EPOCHREALTIME//[.,]/}
  boot_info; boot=$BOOT_ID btime=${BOOT_US:-$now}
  node_hostname; host=$REPLY
  json_str "$1"; ident=$REPLY
  json_str "$3"; msg=$REPLY
  local line="{\"__REALTIME_TIMESTAMP\":\"$now\",\"__MONOTONIC_TIMESTAMP\":\"$((now - btime))\",\"_BOOT_ID\":\"$boot\",\"PRIORITY\":\"$2\",\"SYSLOG_IDENTIFIER\":$ident,\"_PID\":\"$$\",\"_UID\":\"$UID\",\"_HOSTNAME\":\"$host\",\"_TRANSPORT\":\"syslog\",\"MESSAGE\":$msg"
  if [[ -n ${4:-} ]]; then json_str "$4"; line+=",\"_SYSTEMD_UNIT\":$REPLY"; fi
  printf '%s}\n' "$line" >>"$STATE/journal.jsonl"
}
