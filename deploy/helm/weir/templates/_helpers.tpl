{{- define "weir.labels" -}}
app.kubernetes.io/name: weir
app.kubernetes.io/component: reconciler
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "weir.selector" -}}
app.kubernetes.io/name: weir
app.kubernetes.io/component: reconciler
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
