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
