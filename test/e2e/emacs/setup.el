;;; setup.el --- What the e2e run's Emacs needs before the README's configuration  -*- lexical-binding: t -*-

;; `emacs -Q' skips the site start-up files, which is where Debian's elpa-eglot registers itself.
(require 'package)
(setq package-directory-list (append package-directory-list '("/usr/share/emacs/site-lisp/elpa")))
(setq package-user-dir (expand-file-name "elpa" (getenv "HOME")))
(package-initialize)

;; Emacs 28 has js-mode but no Dart, Swift or TypeScript mode (they are MELPA packages, not in
;; Debian). Eglot only needs the major mode's name: stand-ins with the packages' names and file
;; patterns let the README configuration be tested on every language.
(dolist (spec '((dart-mode . "\\.dart\\'") (swift-mode . "\\.swift\\'") (typescript-mode . "\\.ts\\'")))
  (unless (fboundp (car spec))
    (eval `(define-derived-mode ,(car spec) prog-mode ,(symbol-name (car spec))))
    (add-to-list 'auto-mode-alist (cons (cdr spec) (car spec)))))
