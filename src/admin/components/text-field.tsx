import { Hint, Input, Label, Textarea } from "@medusajs/ui"
import type { ReactNode } from "react"

/** A labelled `@medusajs/ui` input (or textarea), with an optional hint below. */
export function TextField({
  name,
  label,
  value,
  onChange,
  type = "text",
  placeholder,
  hint,
  optional,
  multiline,
  inputMode,
  autoFocus,
}: {
  name: string
  label: string
  value: string
  onChange: (value: string) => void
  type?: string
  placeholder?: string
  hint?: ReactNode
  optional?: boolean
  multiline?: boolean
  inputMode?: "decimal" | "numeric" | "text"
  autoFocus?: boolean
}) {
  const id = `ledger-${name}`
  return (
    <div className="flex flex-col gap-y-2">
      <Label htmlFor={id} size="small" weight="plus">
        {label}
        {optional && <span className="text-ui-fg-muted font-normal"> (optional)</span>}
      </Label>
      {multiline ? (
        <Textarea id={id} name={name} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <Input
          id={id}
          name={name}
          type={type}
          value={value}
          placeholder={placeholder}
          inputMode={inputMode}
          autoFocus={autoFocus}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {hint && <Hint>{hint}</Hint>}
    </div>
  )
}
