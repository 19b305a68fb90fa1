;;; driver.el --- Drives Emacs + eglot after the README's configuration  -*- lexical-binding: t -*-

;; Loaded after setup.el and the README's eglot block (unchanged): opens every file the CLI
;; reported, lets eglot connect as after a first command, waits for the Flymake diagnostics,
;; asks the server for code actions on each and writes it all to $PINNING_AUDIT_E2E_OUTPUT.

(require 'eglot)
(require 'json)
(require 'cl-lib)

(defun pinning-audit-e2e--write (result)
  (with-temp-file (getenv "PINNING_AUDIT_E2E_OUTPUT")
    (insert (json-encode result))))

(defun pinning-audit-e2e--level (diagnostic)
  (pcase (flymake-diagnostic-type diagnostic)
    ('eglot-error "error") ('eglot-warning "warning") ('eglot-note "note") (other (format "%s" other))))

(defun pinning-audit-e2e--describe (path diagnostic)
  "PATH:LINE:COLUMN LEVEL MESSAGE, 1-based like the CLI."
  (save-excursion
    (goto-char (flymake-diagnostic-beg diagnostic))
    ;; The character offset in the line, as LSP counts: `current-column' would count a tab as 8.
    (format "%s:%d:%d %s %s" path (line-number-at-pos) (1+ (- (point) (line-beginning-position)))
            (pinning-audit-e2e--level diagnostic) (flymake-diagnostic-text diagnostic))))

(defun pinning-audit-e2e--code-actions (diagnostic)
  "Code actions the server offers for DIAGNOSTIC: a list of (title has-edit covers-diagnostic)."
  (let* ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diagnostic)))
         (actions (pinning-audit-e2e--request-code-actions lsp)))
    (if (stringp actions)
        (list (list :error actions))
      (pinning-audit-e2e--summarize-actions actions lsp))))

(defun pinning-audit-e2e--request-code-actions (lsp)
  "The server's code actions for the LSP diagnostic, or the error message as a string."
  (condition-case err
      (jsonrpc-request (eglot--current-server-or-lose) :textDocument/codeAction
                                   (list :textDocument (eglot--TextDocumentIdentifier)
                                         :range (plist-get lsp :range)
                                         :context (list :diagnostics (vector lsp) :only ["quickfix"])))
    (error (format "%S" err))))

(defun pinning-audit-e2e--summarize-actions (actions lsp)
  (cl-loop for action across actions
             collect (list :title (plist-get action :title)
                           :hasEdit (if (plist-get action :edit) t :json-false)
                           :coversDiagnostic
                           (if (cl-some (lambda (fixed) (equal (plist-get fixed :range) (plist-get lsp :range)))
                                        (plist-get action :diagnostics))
                               t :json-false))))

(defun pinning-audit-e2e--run ()
  (let* ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'string)
         (expected (json-read-file (getenv "PINNING_AUDIT_E2E_EXPECTED")))
         (timeout (/ (string-to-number (or (getenv "PINNING_AUDIT_E2E_TIMEOUT_MS") "30000")) 1000.0))
         (wanted (make-hash-table :test 'equal))
         buffers)
    (dolist (finding expected)
      (let ((path (cdr (assoc "path" finding))))
        (puthash path (1+ (gethash path wanted 0)) wanted)))
    (maphash (lambda (path _count) (push (cons path (find-file-noselect path)) buffers)) wanted)
    ;; eglot-ensure connects from `post-command-hook': in batch mode no command ever runs.
    (run-hooks 'post-command-hook)
    (let ((deadline (+ (float-time) timeout)) settled)
      (while (and (not settled) (< (float-time) deadline))
        (accept-process-output nil 0.05)
        (setq settled t)
        (dolist (entry buffers)
          (with-current-buffer (cdr entry)
            (when (bound-and-true-p flymake-mode) (flymake-start))
            (unless (= (length (flymake-diagnostics)) (gethash (car entry) wanted))
              (setq settled nil))))))
    (let (lines actions modes)
      (dolist (entry buffers)
        (with-current-buffer (cdr entry)
          (push (cons (car entry) (format "%s eglot:%s" major-mode (if (eglot-current-server) "yes" "no"))) modes)
          (dolist (diagnostic (flymake-diagnostics))
            (let ((line (pinning-audit-e2e--describe (car entry) diagnostic)))
              (push line lines)
              (push (cons line (pinning-audit-e2e--code-actions diagnostic)) actions)))))
      (pinning-audit-e2e--write
       (list (cons "diagnostics" (vconcat (sort lines #'string<)))
             (cons "codeActions" (mapcar (lambda (a) (cons (car a) (vconcat (cdr a)))) actions))
             (cons "modes" modes)
             (cons "servers" (cl-loop for servers being the hash-values of eglot--servers-by-project sum (length servers))))))))

(condition-case err
    (progn (pinning-audit-e2e--run) (kill-emacs 0))
  (error
   (pinning-audit-e2e--write (list (cons "error" (error-message-string err))))
   (kill-emacs 1)))
