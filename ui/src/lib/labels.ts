// The words batch labels are made of, in the current UI language.
import type { LabelWords } from "./edit";
import { t } from "./i18n/index.svelte";

export function labelWords(categoryName?: (id: string) => string | undefined): LabelWords {
  return {
    price: t("label.price"),
    stock: t("label.stock"),
    round: { cents95: t("label.round.cents95"), cents99: t("label.round.cents99"), whole: t("label.round.whole") },
    addTag: t("bulk.kind.add_tag"),
    removeTag: t("bulk.kind.remove_tag"),
    status: t("catalog.col.status"),
    statusName: {
      draft: t("product.status.draft"),
      active: t("product.status.active"),
      archived: t("product.status.archived"),
    },
    category: t("catalog.col.category"),
    categoryName,
  };
}
