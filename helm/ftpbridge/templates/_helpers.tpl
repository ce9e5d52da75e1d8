{{- define "ftpbridge.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ftpbridge.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "ftpbridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ftpbridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ftpbridge.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "ftpbridge.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The passive ports as a list of numbers, from ftp.passivePorts.start to .end. */}}
{{- define "ftpbridge.passivePorts" -}}
{{- $start := int .Values.ftp.passivePorts.start }}
{{- $end := int .Values.ftp.passivePorts.end }}
{{- if lt $end $start }}
{{- fail "ftp.passivePorts.end must not be below ftp.passivePorts.start" }}
{{- end }}
{{- toJson (untilStep $start (add1 $end | int) 1) }}
{{- end }}

{{/* The secret values given in values.yaml, by Secret key. */}}
{{- define "ftpbridge.providedSecrets" -}}
{{- $provided := dict }}
{{- with .Values.admin.password }}{{ $_ := set $provided "admin-password" . }}{{ end }}
{{- with .Values.secrets.key }}{{ $_ := set $provided "secrets-key" . }}{{ end }}
{{- if and .Values.postgresql.enabled (not .Values.postgresql.existingSecret) }}
{{- $_ := set $provided "postgresql-password" (required "postgresql.password (or postgresql.existingSecret) is required when postgresql.enabled" .Values.postgresql.password) }}
{{- end }}
{{- toYaml $provided }}
{{- end }}

{{/* The Secret that holds a key, or nothing when ftpbridge generates that value itself. */}}
{{- define "ftpbridge.secretFor" -}}
{{- $root := index . 0 }}
{{- $key := index . 1 }}
{{- if $root.Values.existingSecret }}
{{- $root.Values.existingSecret }}
{{- else if hasKey (include "ftpbridge.providedSecrets" $root | fromYaml) $key }}
{{- include "ftpbridge.fullname" $root }}
{{- end }}
{{- end }}

{{/* More than one replica: a StatefulSet with per-pod passive ranges and Services. */}}
{{- define "ftpbridge.replicated" -}}
{{- if gt (int .Values.replicaCount) 1 }}true{{ end }}
{{- end }}

{{/* Pod i's passive ports: ftp.passivePorts shifted by i times the range's size. Called with (list $ i). */}}
{{- define "ftpbridge.podPassivePorts" -}}
{{- $root := index . 0 }}
{{- $i := int (index . 1) }}
{{- $start := int $root.Values.ftp.passivePorts.start }}
{{- $count := int (add1 (sub (int $root.Values.ftp.passivePorts.end) $start)) }}
{{- $from := add $start (mul $i $count) | int }}
{{- if gt (add $from $count | int) 65536 }}
{{- fail (printf "ftp.passivePorts: pod %d's range would end above 65535; lower ftp.passivePorts or replicaCount" $i) }}
{{- end }}
{{- toJson (untilStep $from (add $from $count | int) 1) }}
{{- end }}

{{/* Stops rendering when replicaCount > 1 lacks what replicas need. */}}
{{- define "ftpbridge.checkReplicas" -}}
{{- if include "ftpbridge.replicated" . }}
{{- if not .Values.postgresql.enabled }}
{{- fail "replicaCount > 1 needs external PostgreSQL (postgresql.enabled=true, postgresql.host): the replicas share users, sessions, bans and transfer jobs through it, and the embedded H2 database belongs to one pod" }}
{{- end }}
{{- if and .Values.persistence.enabled (not .Values.persistence.existingClaim) (not (has "ReadWriteMany" .Values.persistence.accessModes)) }}
{{- fail "replicaCount > 1 needs persistence.accessModes [ReadWriteMany] (or an existingClaim that is ReadWriteMany): every replica serves the same folders" }}
{{- end }}
{{- if and .Values.replicas.passiveAddresses (ne (len .Values.replicas.passiveAddresses) (int .Values.replicaCount)) }}
{{- fail (printf "replicas.passiveAddresses needs one address per pod: %d given for replicaCount %d" (len .Values.replicas.passiveAddresses) (int .Values.replicaCount)) }}
{{- end }}
{{- if and (not .Values.replicas.hostPorts) (ne .Values.replicas.passiveServiceType "NodePort") (not .Values.replicas.passiveAddresses) (not .Values.ftp.passiveExternalAddress) }}
{{- fail "replicaCount > 1: set replicas.passiveAddresses (one per pod, each its passive Service's address) or ftp.passiveExternalAddress (one TCP load balancer that forwards each pod's passive range to it), or use replicas.passiveServiceType=NodePort or replicas.hostPorts" }}
{{- end }}
{{- end }}
{{- end }}
