/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The GTK 3 window (auth-prompt.h).
 */
#include <stdio.h>
#include <gtk/gtk.h>
#include <glib/gi18n.h>
#include <nma-vpn-password-dialog.h>

#include "secret.h"

#include "auth-output.h"
#include "auth-prompt.h"

/* libnma's three fields, addressed alike. */
typedef struct {
	void (*show)(NMAVpnPasswordDialog *dialog, gboolean show);
	void (*set_label)(NMAVpnPasswordDialog *dialog, const char *label);
	void (*set)(NMAVpnPasswordDialog *dialog, const char *value);
	const char *(*get)(NMAVpnPasswordDialog *dialog);
} PromptField;

static const PromptField prompt_fields[AUTH_PROMPT_MAX_FIELDS] = {
	{ nma_vpn_password_dialog_set_show_password, nma_vpn_password_dialog_set_password_label,
	  nma_vpn_password_dialog_set_password, nma_vpn_password_dialog_get_password },
	{ nma_vpn_password_dialog_set_show_password_secondary,
	  nma_vpn_password_dialog_set_password_secondary_label,
	  nma_vpn_password_dialog_set_password_secondary,
	  nma_vpn_password_dialog_get_password_secondary },
	{ nma_vpn_password_dialog_set_show_password_ternary,
	  nma_vpn_password_dialog_set_password_ternary_label,
	  nma_vpn_password_dialog_set_password_ternary,
	  nma_vpn_password_dialog_get_password_ternary },
};

bool auth_prompt_run(AuthPlan *plan, const char *connection_name)
{
	g_autofree char *title = auth_output_title(connection_name);
	g_autofree char *message = auth_output_message(plan, connection_name);
	AuthPlanSecret *asked[AUTH_PROMPT_MAX_FIELDS] = { NULL };
	size_t n_asked = 0;
	NMAVpnPasswordDialog *dialog;
	bool answered;

	for (size_t i = 0; i < plan->n_secrets; i++) {
		if (!plan->secrets[i].ask)
			continue;
		if (n_asked == AUTH_PROMPT_MAX_FIELDS) {
			fprintf(stderr,
				_("nm-roadie-auth-dialog: not asking for %s: the dialog has room "
				  "for %d secrets\n"),
				plan->secrets[i].key->nm, AUTH_PROMPT_MAX_FIELDS);
			continue;
		}
		asked[n_asked++] = &plan->secrets[i];
	}

	dialog = NMA_VPN_PASSWORD_DIALOG(nma_vpn_password_dialog_new(title, message, NULL));
	for (size_t i = 0; i < AUTH_PROMPT_MAX_FIELDS; i++) {
		const PromptField *field = &prompt_fields[i];

		field->show(dialog, i < n_asked);
		if (i >= n_asked)
			continue;
		field->set_label(dialog, auth_output_label(asked[i]->key));
		field->set(dialog, asked[i]->value ? roadie_secret_peek(asked[i]->value) : "");
	}
	gtk_widget_show(GTK_WIDGET(dialog));
	answered = nma_vpn_password_dialog_run_and_block(dialog);
	if (answered) {
		for (size_t i = 0; i < n_asked; i++) {
			const char *typed = prompt_fields[i].get(dialog);

			roadie_secret_free(asked[i]->value);
			asked[i]->value = typed && *typed ? roadie_secret_new(typed) : NULL;
			/* the entry's own buffer is GTK's; clear what we can reach */
			prompt_fields[i].set(dialog, "");
		}
	}
	gtk_widget_destroy(GTK_WIDGET(dialog));
	return answered;
}
