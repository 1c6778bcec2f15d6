/* i18n: every string of the page's own (its chrome, not the data) in each language it is
 * written in. The interface speaks the first language of the label choice: "English +
 * 简体中文" and "English" give English, "简体中文" and "繁體中文" give Chinese. Data labels
 * (types, relations, metrics) follow the same language where the ontology has it.
 *
 * t(key, values) fills {name} slots; count(n, key) picks the singular or plural form.
 * Elements of the page template name their strings in data-i18n (text), data-i18n-title,
 * data-i18n-aria-label and data-i18n-placeholder attributes.
 */
(function (app) {
  "use strict";

  var STRINGS = {
    "en": {
      "page.title": "AI-video market knowledge graph", "title.around": "around {name}", "title.asof": "as of {day}",
      "tab.graph": "Graph", "tab.map": "Market map", "tabs": "Views",
      "search.placeholder": "Search any name or alias · 搜索名称", "search.aria": "Search entities by name or alias",
      "search.none": "No name matches.",
      "date": "Date", "date.label": "As of",
      "date.slider": "Date slider: the days on which something changes, and the day before each",
      "date.ticks": "Milestones", "date.goto": "Go to {day}", "date.invalid": "Type a day as YYYY-MM-DD",
      "play": "▶ Play", "pause": "❚❚ Pause", "play.title": "Step through the days on which something changes",
      "alldates": "All dates", "alldates.title": "Show facts of every date",
      "labels.aria": "Node labels", "labels.title": "Language of the node labels",
      "edgeLabels": "relation names", "edgeLabels.title": "Write the relation on every line",
      "fit": "Fit", "export": "Save the view",
      "png.title": "Save the current view as a PNG image", "svg.title": "Save the current view as an SVG drawing",
      "print": "Print", "print.title": "Print the current view (one landscape page)", "reset": "Reset",
      "legend": "Legend and filters", "graph": "Graph", "map": "Market map", "panel": "Details",
      "legend.types": "Entity types", "legend.relations": "Relations", "legend.kinds": "Kinds",
      "all": "all", "none": "none", "bothWays": "(both ways)", "reference": "(reference)",
      "groups": "Collapse groups", "group.tip": "Draw {name} and what it develops or owns as one node",
      "groups.hint": "Double-click a company to collapse or expand it; a number on a line counts the facts it stands for.",
      "display": "Display", "display.features": "draw {types}",
      "display.features.tip": "Otherwise they are listed in the details of their entity",
      "display.isolated": "draw unconnected entities",
      "display.isolated.tip": "Entities with no line in view, in rows below the graph",
      "legend.note": "Arrows point from subject to object; relations that hold both ways have none. " +
        "Claims (opinions, forecasts) are drawn thin and faded. A dashed border marks an entity with a role. " +
        "Selecting a node fades everything more than one step away.",
      "status": "{entities} of {total} · {facts} of {stated}{references} in view{asof} · drawn: {nodes}, {lines}",
      "status.asof": " · as of {day}",
      "entity": ["{n} entity", "{n} entities"], "fact": ["{n} fact", "{n} facts"],
      "refs": ["{n} reference", "{n} references"], "node": ["{n} node", "{n} nodes"],
      "line": ["{n} line", "{n} lines"], "source": ["{n} source", "{n} sources"], "hop": ["{n} hop", "{n} hops"],
      "tile": ["{n} tile", "{n} tiles"], "moreFeatures": ["+{n} feature", "+{n} features"],
      "since": "since {day}", "until": "until {day}", "from": "from {day}", "between": "{since} – {until}",
      "claim": "claim", "claimMark": " (claim)", "Claim": "Claim",
      "claim.box": " — an opinion, assessment or forecast attributed to its source, not an established fact.",
      "claim.by": " Claimed by ", "betweenGroups": "between the groups",
      "groupLine": "{facts} between the groups, drawn as one line.", "groupGone": "This line is no longer drawn.",
      "hiddenByFilters": "hidden by the current filters", "hiddenNote": "Hidden by the current filters or date.",
      "factDetails": "details of this fact", "drawnWith": "Drawn with ", "drawnWith.end": ".", "expandGroup": "Expand group ({n})",
      "collapseGroup": "Collapse group ({n})", "lacks.title": "Lacks", "lacks": "✗ lacks {feature}",
      "lacks.short": "✗ {feature}", "names": "Names", "aka": "Also known as: ", "attributes": "Attributes",
      "figures": "Figures", "exists": "Exists", "start.unrecorded": "start not recorded",
      "start.from": "exists from {day}", "at": "at ", "in": "in {where}", "on": "on {where}",
      "measuredBy": "measured by {who}", "scope": "for {scope}", "period": "period: {period}",
      "bound.at-most": "at most", "bound.at-least": "at least", "bound.about": "about",
      "relation": "Relation", "dates": "Dates", "qualifiers": "Qualifiers", "note": "Note",
      "derived": "A reference edge, derived from {field} of {record}.",
      "holds": "Holds {range} (as dated: {dated}).", "holds.from": "from {day}", "holds.through": "through {day}",
      "undated": "No date given: holds as far as the data knows.", "id": "id: ",
      "about": "About this graph",
      "about.counts": "{entities}, {facts}{references}, each fact dated where the source dates it and cited to its sources.",
      "about.references": " and {references}",
      "exported": "Exported {scope}.", "scope.around": "around {name} ({hops})", "scope.relations": "relations: {list}",
      "scope.types": "types: {list}", "scope.asof": "as of {day}",
      "help": ["Click a node or a line for its details and sources.",
        "Search by any name or alias, in English or Chinese (simplified or traditional).",
        "Untick types, relations or kinds in the legend to hide them.",
        "Pick a date to see the graph as it stood that day; “All dates” shows everything.",
        "Double-click a company to collapse it with its products; “Collapse groups: all” shows the landscape as companies.",
        "The Market map tab shows the players by segment on the chosen date.",
        "Drag to pan, scroll to zoom; Reset restores everything."],
      "map.title.on": "The market on {day}", "map.title.all": "The market across all dates", "by": "by {owner}"
    },
    "zh-Hans": {
      "page.title": "AI视频市场知识图谱", "title.around": "{name} 周边", "title.asof": "截至 {day}",
      "tab.graph": "关系图", "tab.map": "市场格局图", "tabs": "视图",
      "search.placeholder": "搜索名称或别名", "search.aria": "按名称或别名搜索实体", "search.none": "没有匹配的名称。",
      "date": "日期", "date.label": "截至",
      "date.slider": "日期滑块：有变化的日子，以及每个变化的前一天",
      "date.ticks": "里程碑", "date.goto": "转到 {day}", "date.invalid": "请按 YYYY-MM-DD 输入日期",
      "play": "▶ 播放", "pause": "❚❚ 暂停", "play.title": "逐一播放有变化的日子",
      "alldates": "全部日期", "alldates.title": "显示所有日期的事实",
      "labels.aria": "节点标签", "labels.title": "节点标签的语言",
      "edgeLabels": "关系名称", "edgeLabels.title": "在每条连线上写出关系",
      "fit": "全览", "export": "保存视图",
      "png.title": "将当前视图保存为 PNG 图片", "svg.title": "将当前视图保存为 SVG 矢量图",
      "print": "打印", "print.title": "打印当前视图（一页横向）", "reset": "重置",
      "legend": "图例与筛选", "graph": "关系图", "map": "市场格局图", "panel": "详情",
      "legend.types": "实体类型", "legend.relations": "关系", "legend.kinds": "事实类别",
      "all": "全选", "none": "全不选", "bothWays": "（双向）", "reference": "（引用）",
      "groups": "折叠分组", "group.tip": "将{name}及其开发或拥有的对象画成一个节点",
      "groups.hint": "双击公司可折叠或展开；连线上的数字是它代表的事实数。",
      "display": "显示", "display.features": "绘制{types}",
      "display.features.tip": "否则列在所属实体的详情中",
      "display.isolated": "绘制没有连线的实体",
      "display.isolated.tip": "视图中没有连线的实体，排在图的下方",
      "legend.note": "箭头从主语指向宾语；双向关系没有箭头。观点（看法、预测）以细而淡的线表示。" +
        "虚线边框表示有角色的实体。选中节点后，一步以外的内容都会变淡。",
      "status": "视图中：{entities}（共 {total}）· {facts}（共 {stated}）{references}{asof} · 已绘制：{nodes}，{lines}",
      "status.asof": " · 截至 {day}",
      "entity": "{n} 个实体", "fact": "{n} 条事实", "refs": "{n} 条引用", "node": "{n} 个节点",
      "line": "{n} 条连线", "source": "{n} 个来源", "hop": "{n} 步", "tile": "{n} 张卡片", "moreFeatures": "另有 {n} 项功能",
      "since": "自 {day}", "until": "至 {day}", "from": "自 {day}", "between": "{since} 至 {until}",
      "claim": "观点", "claimMark": "（观点）", "Claim": "观点",
      "claim.box": "：归于其来源的看法、评估或预测，并非既定事实。",
      "claim.by": " 观点持有者：", "betweenGroups": "分组之间",
      "groupLine": "分组之间有{facts}，画成一条连线。", "groupGone": "这条连线已不再显示。",
      "hiddenByFilters": "已被当前筛选隐藏", "hiddenNote": "已被当前筛选或日期隐藏。",
      "factDetails": "这条事实的详情", "drawnWith": "与此一同绘制：", "drawnWith.end": "", "expandGroup": "展开分组（{n}）",
      "collapseGroup": "折叠分组（{n}）", "lacks.title": "不具备", "lacks": "✗ 不具备{feature}",
      "lacks.short": "✗ {feature}", "names": "名称", "aka": "又称：", "attributes": "属性",
      "figures": "数据", "exists": "存在", "start.unrecorded": "起始日期未记录",
      "start.from": "自 {day} 起存在", "at": "位置：", "in": "地区：{where}", "on": "平台：{where}",
      "measuredBy": "统计方：{who}", "scope": "适用于{scope}", "period": "期间：{period}",
      "bound.at-most": "至多", "bound.at-least": "至少", "bound.about": "约",
      "relation": "关系", "dates": "日期", "qualifiers": "限定", "note": "注释",
      "derived": "引用边，来自 {record} 的 {field}。",
      "holds": "有效期：{range}（原文日期：{dated}）。", "holds.from": "自 {day}", "holds.through": "至 {day}",
      "undated": "未注明日期：就数据所知一直有效。", "id": "编号：",
      "about": "关于此图",
      "about.counts": "{entities}，{facts}{references}；每条事实按来源注明日期，并引用其来源。",
      "about.references": "，{references}",
      "exported": "导出范围：{scope}。", "scope.around": "{name} 周边（{hops}）", "scope.relations": "关系：{list}",
      "scope.types": "类型：{list}", "scope.asof": "截至 {day}",
      "help": ["点击节点或连线查看详情和来源。",
        "可用任何名称或别名搜索，中英文（简体或繁体）均可。",
        "在图例中取消勾选类型、关系或类别即可隐藏。",
        "选择日期可查看当天的格局；“全部日期”显示一切。",
        "双击公司可将其与产品折叠在一起；“折叠分组：全选”以公司呈现格局。",
        "“市场格局图”标签页按细分市场显示所选日期的参与者。",
        "拖动平移，滚轮缩放；“重置”恢复一切。"],
      "map.title.on": "{day} 的市场", "map.title.all": "所有日期的市场", "by": "属于 {owner}"
    },
    "zh-Hant": {
      "page.title": "AI視頻市場知識圖譜", "title.around": "{name} 周邊", "title.asof": "截至 {day}",
      "tab.graph": "關係圖", "tab.map": "市場格局圖", "tabs": "檢視",
      "search.placeholder": "搜尋名稱或別名", "search.aria": "按名稱或別名搜尋實體", "search.none": "沒有相符的名稱。",
      "date": "日期", "date.label": "截至",
      "date.slider": "日期滑桿：有變化的日子，以及每個變化的前一天",
      "date.ticks": "里程碑", "date.goto": "前往 {day}", "date.invalid": "請按 YYYY-MM-DD 輸入日期",
      "play": "▶ 播放", "pause": "❚❚ 暫停", "play.title": "逐一播放有變化的日子",
      "alldates": "全部日期", "alldates.title": "顯示所有日期的事實",
      "labels.aria": "節點標籤", "labels.title": "節點標籤的語言",
      "edgeLabels": "關係名稱", "edgeLabels.title": "在每條連線上寫出關係",
      "fit": "全覽", "export": "儲存檢視",
      "png.title": "將目前檢視儲存為 PNG 圖片", "svg.title": "將目前檢視儲存為 SVG 向量圖",
      "print": "列印", "print.title": "列印目前檢視（一頁橫向）", "reset": "重設",
      "legend": "圖例與篩選", "graph": "關係圖", "map": "市場格局圖", "panel": "詳情",
      "legend.types": "實體類型", "legend.relations": "關係", "legend.kinds": "事實類別",
      "all": "全選", "none": "全不選", "bothWays": "（雙向）", "reference": "（引用）",
      "groups": "摺疊分組", "group.tip": "將{name}及其開發或擁有的對象畫成一個節點",
      "groups.hint": "雙擊公司可摺疊或展開；連線上的數字是它代表的事實數。",
      "display": "顯示", "display.features": "繪製{types}",
      "display.features.tip": "否則列在所屬實體的詳情中",
      "display.isolated": "繪製沒有連線的實體",
      "display.isolated.tip": "檢視中沒有連線的實體，排在圖的下方",
      "legend.note": "箭頭從主語指向賓語；雙向關係沒有箭頭。觀點（看法、預測）以細而淡的線表示。" +
        "虛線邊框表示有角色的實體。選中節點後，一步以外的內容都會變淡。",
      "status": "檢視中：{entities}（共 {total}）· {facts}（共 {stated}）{references}{asof} · 已繪製：{nodes}，{lines}",
      "status.asof": " · 截至 {day}",
      "entity": "{n} 個實體", "fact": "{n} 條事實", "refs": "{n} 條引用", "node": "{n} 個節點",
      "line": "{n} 條連線", "source": "{n} 個來源", "hop": "{n} 步", "tile": "{n} 張卡片", "moreFeatures": "另有 {n} 項功能",
      "since": "自 {day}", "until": "至 {day}", "from": "自 {day}", "between": "{since} 至 {until}",
      "claim": "觀點", "claimMark": "（觀點）", "Claim": "觀點",
      "claim.box": "：歸於其來源的看法、評估或預測，並非既定事實。",
      "claim.by": " 觀點持有者：", "betweenGroups": "分組之間",
      "groupLine": "分組之間有{facts}，畫成一條連線。", "groupGone": "這條連線已不再顯示。",
      "hiddenByFilters": "已被目前篩選隱藏", "hiddenNote": "已被目前篩選或日期隱藏。",
      "factDetails": "這條事實的詳情", "drawnWith": "與此一同繪製：", "drawnWith.end": "", "expandGroup": "展開分組（{n}）",
      "collapseGroup": "摺疊分組（{n}）", "lacks.title": "不具備", "lacks": "✗ 不具備{feature}",
      "lacks.short": "✗ {feature}", "names": "名稱", "aka": "又稱：", "attributes": "屬性",
      "figures": "數據", "exists": "存在", "start.unrecorded": "起始日期未記錄",
      "start.from": "自 {day} 起存在", "at": "位置：", "in": "地區：{where}", "on": "平台：{where}",
      "measuredBy": "統計方：{who}", "scope": "適用於{scope}", "period": "期間：{period}",
      "bound.at-most": "至多", "bound.at-least": "至少", "bound.about": "約",
      "relation": "關係", "dates": "日期", "qualifiers": "限定", "note": "註釋",
      "derived": "引用邊，來自 {record} 的 {field}。",
      "holds": "有效期：{range}（原文日期：{dated}）。", "holds.from": "自 {day}", "holds.through": "至 {day}",
      "undated": "未註明日期：就資料所知一直有效。", "id": "編號：",
      "about": "關於此圖",
      "about.counts": "{entities}，{facts}{references}；每條事實按來源註明日期，並引用其來源。",
      "about.references": "，{references}",
      "exported": "匯出範圍：{scope}。", "scope.around": "{name} 周邊（{hops}）", "scope.relations": "關係：{list}",
      "scope.types": "類型：{list}", "scope.asof": "截至 {day}",
      "help": ["點擊節點或連線查看詳情和來源。",
        "可用任何名稱或別名搜尋，中英文（簡體或繁體）皆可。",
        "在圖例中取消勾選類型、關係或類別即可隱藏。",
        "選擇日期可查看當天的格局；「全部日期」顯示一切。",
        "雙擊公司可將其與產品摺疊在一起；「摺疊分組：全選」以公司呈現格局。",
        "「市場格局圖」分頁按細分市場顯示所選日期的參與者。",
        "拖曳平移，滾輪縮放；「重設」恢復一切。"],
      "map.title.on": "{day} 的市場", "map.title.all": "所有日期的市場", "by": "屬於 {owner}"
    }
  };

  /** The interface language: the first language of the label choice, if the page speaks it. */
  function uiLang() {
    var mode = app.state ? app.state.labels : app.DEFAULT_LABELS;
    var first = String(mode || "en").split("+")[0];
    return STRINGS[first] ? first : "en";
  }

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  /** The string `key` in the interface language (English where it has none), slots filled. */
  function t(key, values) {
    var table = STRINGS[uiLang()];
    var text = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : STRINGS.en[key];
    if (text === undefined) { throw new Error("kg: no interface string " + JSON.stringify(key)); }
    return Array.isArray(text) ? text.slice() : fill(text, values);
  }

  /** "1 fact", "2 facts", "2 条事实": a count with its noun. */
  function count(n, key) {
    var table = STRINGS[uiLang()];
    var forms = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : STRINGS.en[key];
    var text = Array.isArray(forms) ? forms[n === 1 ? 0 : 1] : forms;
    return fill(text, { n: n });
  }

  /** The page's title in the interface language (in English, the one the export wrote). */
  function pageTitle() {
    var view = app.DATA.view;
    if (uiLang() === "en") { return app.DATA.title; }
    return [t("page.title"),
      view.focus && app.ENT[view.focus] ? t("title.around", { name: app.entityName(view.focus) }) : null,
      view.as_of ? t("title.asof", { day: view.as_of }) : null].filter(Boolean).join(" — ");
  }

  /** The page template's own strings, from its data-i18n attributes, and the title. */
  function translateChrome() {
    var lang = uiLang();
    document.documentElement.setAttribute("lang", lang);
    document.title = pageTitle();
    document.getElementById("kg-title").textContent = document.title;
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    ["title", "aria-label", "placeholder"].forEach(function (attr) {
      document.querySelectorAll("[data-i18n-" + attr + "]").forEach(function (el) {
        el.setAttribute(attr, t(el.getAttribute("data-i18n-" + attr)));
      });
    });
  }

  app.STRINGS = STRINGS;
  app.uiLang = uiLang;
  app.t = t;
  app.count = count;
  app.translateChrome = translateChrome;
}(app));
